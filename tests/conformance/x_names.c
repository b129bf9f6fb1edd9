/*
 * x_names.c - name resolution and address text as Winsock programs use them (issue 12;
 * conformance.md has no items for them yet). Only numeric addresses and "localhost": no
 * network.
 *
 * What Windows documents: getaddrinfo (GetAddrInfoA) and getnameinfo return 0 or a Winsock
 * error, which is also the last error; the EAI_* names of <ws2tcpip.h> are those errors
 * (EAI_NONAME is WSAHOST_NOT_FOUND, EAI_AGAIN WSATRY_AGAIN, EAI_FAMILY WSAEAFNOSUPPORT,
 * EAI_SERVICE WSATYPE_NOT_FOUND, EAI_SOCKTYPE WSAESOCKTNOSUPPORT, EAI_FAIL WSANO_RECOVERY,
 * EAI_MEMORY WSA_NOT_ENOUGH_MEMORY, EAI_BADFLAGS WSAEINVAL); they need WSAStartup.
 * inet_pton returns 1, 0 for text that is not an address, -1 with WSAEAFNOSUPPORT or
 * WSAEFAULT; inet_ntop returns the buffer or NULL with WSAEAFNOSUPPORT or
 * ERROR_INVALID_PARAMETER (also for a buffer too small). WSAAddressToStringA writes
 * "a.b.c.d:port" / "[v6%scope]:port" (no port when it is 0), and answers a buffer too small
 * with WSAEFAULT and the length needed; WSAStringToAddressA parses those forms.
 * gethostname fails with WSAEFAULT when the buffer is too small; getservbyname and
 * getprotobyname fail with WSANO_DATA for a name they do not know (the databases are
 * /etc/services and /etc/protocols, package netbase).
 */
#include "harness.h"

static struct addrinfo hints_of(int family, int socktype, int flags)
{
    struct addrinfo h;

    memset(&h, 0, sizeof(h));
    h.ai_family = family;
    h.ai_socktype = socktype;
    h.ai_flags = flags;
    return h;
}

TEST(getaddrinfo_numeric_host_and_port)
{
    struct addrinfo h = hints_of(AF_INET, SOCK_STREAM, AI_NUMERICHOST), *res = NULL;
    struct sockaddr_in *sin;

    harness_startup();
    CHECK_EQ(getaddrinfo("127.0.0.1", "8080", &h, &res), 0);
    CHECK(res != NULL);
    CHECK_EQ(res->ai_family, AF_INET);
    CHECK_EQ(res->ai_socktype, SOCK_STREAM);
    CHECK(res->ai_addrlen >= sizeof(struct sockaddr_in));
    sin = (struct sockaddr_in *)res->ai_addr;
    CHECK_EQ(sin->sin_port, htons(8080));
    CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    freeaddrinfo(res);
}

TEST(getaddrinfoa_localhost_is_loopback)
{
    ADDRINFOA h = hints_of(AF_UNSPEC, SOCK_STREAM, 0), *res = NULL, *ai;
    int loopback = 0;

    harness_startup();
    CHECK_EQ(GetAddrInfoA("localhost", "80", &h, &res), 0);
    for (ai = res; ai; ai = ai->ai_next) {
        if (ai->ai_family == AF_INET)
            loopback += (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127;
        else if (ai->ai_family == AF_INET6)
            loopback += IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
    }
    CHECK(loopback > 0);
    FreeAddrInfoA(res);
}

/* getaddrinfo(node, service) with numeric-host hints of family/socktype must fail with
 * `err`, returned and set as last error. */
static void gai_fails(int family, int socktype, const char *node, const char *service, int err)
{
    struct addrinfo h = hints_of(family, socktype, AI_NUMERICHOST), *res = NULL;

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(getaddrinfo(node, service, &h, &res), err);
    CHECK_ERR(err);
    CHECK(res == NULL);
}

TEST(getaddrinfo_not_an_address_wsahost_not_found)
{
    gai_fails(AF_INET, SOCK_STREAM, "not-an-address", "80", WSAHOST_NOT_FOUND);
    gai_fails(AF_INET, SOCK_STREAM, NULL, NULL, EAI_NONAME);
}

TEST(getaddrinfo_bad_family_wsaeafnosupport)
{
    gai_fails(12345, SOCK_STREAM, "127.0.0.1", "80", WSAEAFNOSUPPORT);
}

TEST(getaddrinfo_bad_socktype_wsaesocktnosupport)
{
    gai_fails(AF_INET, 12345, "127.0.0.1", "80", WSAESOCKTNOSUPPORT);
}

TEST(getaddrinfo_unknown_service_wsatype_not_found)
{
    gai_fails(AF_INET, SOCK_STREAM, "127.0.0.1", "no-such-service-wsaio", WSATYPE_NOT_FOUND);
}

TEST(getaddrinfo_without_startup_wsanotinitialised)
{
    struct addrinfo h = hints_of(AF_INET, SOCK_STREAM, AI_NUMERICHOST), *res = NULL;

    WSASetLastError(0);
    CHECK_EQ(getaddrinfo("127.0.0.1", "80", &h, &res), WSANOTINITIALISED);
    CHECK_ERR(WSANOTINITIALISED);
}

TEST(eai_names_are_winsock_errors)
{
    CHECK_EQ(EAI_AGAIN, WSATRY_AGAIN);
    CHECK_EQ(EAI_BADFLAGS, WSAEINVAL);
    CHECK_EQ(EAI_FAIL, WSANO_RECOVERY);
    CHECK_EQ(EAI_FAMILY, WSAEAFNOSUPPORT);
    CHECK_EQ(EAI_MEMORY, WSA_NOT_ENOUGH_MEMORY);
    CHECK_EQ(EAI_NONAME, WSAHOST_NOT_FOUND);
    CHECK_EQ(EAI_SERVICE, WSATYPE_NOT_FOUND);
    CHECK_EQ(EAI_SOCKTYPE, WSAESOCKTNOSUPPORT);
    CHECK(gai_strerrorA(EAI_NONAME) != NULL && gai_strerrorA(EAI_NONAME)[0] != 0);
    CHECK(gai_strerror(EAI_AGAIN) != NULL && gai_strerror(EAI_AGAIN)[0] != 0);
}

TEST(getnameinfo_numeric_and_bad_family)
{
    struct sockaddr_in sin = harness_loopback4(8080);
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    harness_startup();
    CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv,
                         sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV),
             0);
    CHECK(strcmp(host, "127.0.0.1") == 0);
    CHECK(strcmp(serv, "8080") == 0);
    sin.sin_family = 12345;
    CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv,
                         sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV),
             WSAEAFNOSUPPORT);
}

TEST(getnameinfo_failure_sets_last_error)
{
    struct sockaddr_in sin = harness_loopback4(8080);
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    harness_startup();
    sin.sin_family = 12345;
    WSASetLastError(0);
    CHECK_EQ(getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host), serv,
                         sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV),
             WSAEAFNOSUPPORT);
    CHECK_ERR(WSAEAFNOSUPPORT);
}

TEST(getnameinfo_short_address_wsaefault)
{
    struct sockaddr_in sin = harness_loopback4(8080);
    char host[NI_MAXHOST], serv[NI_MAXSERV];

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(getnameinfo((struct sockaddr *)&sin, 4, host, sizeof(host), serv, sizeof(serv),
                         NI_NUMERICHOST | NI_NUMERICSERV),
             WSAEFAULT);
    CHECK_ERR(WSAEFAULT);
}

TEST(inet_pton_results_and_errors)
{
    struct in_addr a4;
    struct in6_addr a6;

    CHECK_EQ(inet_pton(AF_INET, "10.1.2.3", &a4), 1);
    CHECK_EQ(a4.s_addr, htonl(0x0A010203));
    CHECK_EQ(InetPtonA(AF_INET6, "::1", &a6), 1);
    CHECK(IN6_IS_ADDR_LOOPBACK(&a6));
    CHECK_EQ(inet_pton(AF_INET, "10.1.2", &a4), 0);
    CHECK_EQ(inet_pton(AF_INET, "not an address", &a4), 0);
    CHECK_EQ(inet_pton(AF_INET6, "1:::2", &a6), 0);
    WSASetLastError(0);
    CHECK_EQ(inet_pton(12345, "10.1.2.3", &a4), -1);
    CHECK_ERR(WSAEAFNOSUPPORT);
    WSASetLastError(0);
    CHECK_EQ(inet_pton(AF_INET, NULL, &a4), -1);
    CHECK_ERR(WSAEFAULT);
    WSASetLastError(0);
    CHECK_EQ(inet_pton(AF_INET, "10.1.2.3", NULL), -1);
    CHECK_ERR(WSAEFAULT);
}

TEST(inet_ntop_results_and_errors)
{
    struct in_addr a4;
    struct in6_addr a6;
    char buf[INET6_ADDRSTRLEN];

    a4.s_addr = htonl(0xC0A80001);
    CHECK(inet_ntop(AF_INET, &a4, buf, sizeof(buf)) == buf);
    CHECK(strcmp(buf, "192.168.0.1") == 0);
    CHECK_EQ(InetPtonA(AF_INET6, "fe80::1:2", &a6), 1);
    CHECK(InetNtopA(AF_INET6, &a6, buf, sizeof(buf)) == buf);
    CHECK(strcmp(buf, "fe80::1:2") == 0);
    WSASetLastError(0);
    CHECK(inet_ntop(12345, &a4, buf, sizeof(buf)) == NULL);
    CHECK_ERR(WSAEAFNOSUPPORT);
}

TEST(inet_ntop_buffer_too_small_invalid_parameter)
{
    struct in_addr a4;
    char buf[8];

    a4.s_addr = htonl(0xC0A80001);
    WSASetLastError(0);
    CHECK(inet_ntop(AF_INET, &a4, buf, sizeof(buf)) == NULL);
    CHECK_ERR(ERROR_INVALID_PARAMETER);
}

/* WSAAddressToStringA of sa must give `expected`. */
static void check_to_string(const void *sa, DWORD salen, const char *expected)
{
    char buf[128];
    DWORD len = sizeof(buf);

    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)sa, salen, NULL, buf, &len), 0);
    if (strcmp(buf, expected) != 0)
        harness_fail(__FILE__, __LINE__, "WSAAddressToStringA gave '%s', expected '%s'", buf,
                     expected);
    CHECK_EQ(len, (DWORD)strlen(expected) + 1);
}

TEST(wsaaddresstostring_port_brackets_scope)
{
    struct sockaddr_in sin = harness_loopback4(8080);
    struct sockaddr_in6 sin6;

    harness_startup();
    check_to_string(&sin, sizeof(sin), "127.0.0.1:8080");
    sin.sin_port = 0;
    check_to_string(&sin, sizeof(sin), "127.0.0.1");
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    CHECK_EQ(inet_pton(AF_INET6, "::1", &sin6.sin6_addr), 1);
    sin6.sin6_port = htons(443);
    check_to_string(&sin6, sizeof(sin6), "[::1]:443");
    CHECK_EQ(inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr), 1);
    sin6.sin6_scope_id = 3;
    check_to_string(&sin6, sizeof(sin6), "[fe80::1%3]:443");
    sin6.sin6_port = 0;
    check_to_string(&sin6, sizeof(sin6), "fe80::1%3");
}

/* WSAAddressToStringA of 127.0.0.1:8080 into buf (NULL or 4 bytes) fails with WSAEFAULT
 * and reports the length needed, with the NUL. */
static void to_string_too_small(char *buf, DWORD len)
{
    struct sockaddr_in sin = harness_loopback4(8080);

    harness_startup();
    WSASetLastError(0);
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), NULL, buf, &len), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(len, (DWORD)sizeof("127.0.0.1:8080"));
}

TEST(wsaaddresstostring_short_buffer_wsaefault_with_length)
{
    char buf[4];

    to_string_too_small(buf, sizeof(buf));
}

TEST(wsaaddresstostring_null_buffer_wsaefault_with_length)
{
    to_string_too_small(NULL, 0);
}

TEST(wsaaddresstostring_bad_family_wsaeinval)
{
    struct sockaddr_in sin = harness_loopback4(8080);
    char buf[64];
    DWORD len = sizeof(buf);

    harness_startup();
    sin.sin_family = 12345;
    WSASetLastError(0);
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&sin, sizeof(sin), NULL, buf, &len), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
}

TEST(wsastringtoaddress_forms_and_errors)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    struct in6_addr want;
    char v4[] = "127.0.0.1:8080", v6[] = "[fe80::1%3]:443", v6bare[] = "::1", bad[] = "nope";
    int len = sizeof(ss);

    harness_startup();
    CHECK_EQ(WSAStringToAddressA(v4, AF_INET, NULL, (LPSOCKADDR)&ss, &len), 0);
    CHECK_EQ(len, (int)sizeof(struct sockaddr_in));
    CHECK_EQ(sin->sin_family, AF_INET);
    CHECK_EQ(sin->sin_port, htons(8080));
    CHECK_EQ(sin->sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    len = sizeof(ss);
    CHECK_EQ(WSAStringToAddressA(v6, AF_INET6, NULL, (LPSOCKADDR)&ss, &len), 0);
    CHECK_EQ(len, (int)sizeof(struct sockaddr_in6));
    CHECK_EQ(sin6->sin6_family, AF_INET6);
    CHECK_EQ(sin6->sin6_port, htons(443));
    CHECK_EQ(sin6->sin6_scope_id, 3u);
    CHECK_EQ(inet_pton(AF_INET6, "fe80::1", &want), 1);
    CHECK(memcmp(&sin6->sin6_addr, &want, sizeof(want)) == 0);
    len = sizeof(ss);
    CHECK_EQ(WSAStringToAddressA(v6bare, AF_INET6, NULL, (LPSOCKADDR)&ss, &len), 0);
    CHECK(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
    CHECK_EQ(sin6->sin6_port, 0);
    len = sizeof(ss);
    WSASetLastError(0);
    CHECK_EQ(WSAStringToAddressA(bad, AF_INET, NULL, (LPSOCKADDR)&ss, &len), SOCKET_ERROR);
    CHECK_ERR(WSAEINVAL);
    len = 4;
    WSASetLastError(0);
    CHECK_EQ(WSAStringToAddressA(v4, AF_INET, NULL, (LPSOCKADDR)&ss, &len), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(len, (int)sizeof(struct sockaddr_in));
}

TEST(gethostbyname_localhost_and_numeric)
{
    struct hostent *he;
    struct in_addr a;

    harness_startup();
    he = gethostbyname("localhost");
    CHECK(he != NULL);
    CHECK_EQ(he->h_addrtype, AF_INET);
    CHECK_EQ(he->h_length, 4);
    CHECK(he->h_addr_list[0] != NULL);
    memcpy(&a, he->h_addr_list[0], sizeof(a));
    CHECK_EQ(ntohl(a.s_addr) >> 24, 127u);
    he = gethostbyname("10.9.8.7");
    CHECK(he != NULL);
    memcpy(&a, he->h_addr_list[0], sizeof(a));
    CHECK_EQ(a.s_addr, htonl(0x0A090807));
}

TEST(gethostbyaddr_loopback)
{
    struct in_addr a;
    struct hostent *he;

    harness_startup();
    a.s_addr = htonl(INADDR_LOOPBACK);
    he = gethostbyaddr((const char *)&a, sizeof(a), AF_INET);
    CHECK(he != NULL);
    CHECK(he->h_name != NULL && he->h_name[0] != 0);
}

TEST(gethostname_short_buffer_wsaefault)
{
    char name[256], tiny[1];

    harness_startup();
    CHECK_EQ(gethostname(name, sizeof(name)), 0);
    CHECK(strlen(name) > 0);
    WSASetLastError(0);
    CHECK_EQ(gethostname(tiny, sizeof(tiny)), SOCKET_ERROR);
    CHECK_ERR(WSAEFAULT);
}

TEST(inet_addr_and_inet_ntoa)
{
    struct in_addr a;

    CHECK_EQ(inet_addr("127.0.0.1"), htonl(INADDR_LOOPBACK));
    CHECK_EQ(inet_addr("not an address"), INADDR_NONE);
    a.s_addr = htonl(0x0A000001);
    CHECK(strcmp(inet_ntoa(a), "10.0.0.1") == 0);
}

TEST(getservbyname_and_getprotobyname)
{
    struct servent *se;
    struct protoent *pe;

    harness_startup();
    se = getservbyname("http", "tcp");
    CHECK(se != NULL);
    CHECK_EQ(ntohs((u_short)se->s_port), 80);
    pe = getprotobyname("udp");
    CHECK(pe != NULL);
    CHECK_EQ(pe->p_proto, IPPROTO_UDP);
    WSASetLastError(0);
    CHECK(getservbyname("no-such-service-wsaio", "tcp") == NULL);
    CHECK_ERR(WSANO_DATA);
    WSASetLastError(0);
    CHECK(getprotobyname("no-such-protocol-wsaio") == NULL);
    CHECK_ERR(WSANO_DATA);
}
