/*
 * names.c - name resolution as Winsock reports it: getaddrinfo/GetAddrInfoA, getnameinfo,
 * freeaddrinfo/FreeAddrInfoA, gai_strerrorA, gethostbyname, gethostbyaddr, getservbyname,
 * getprotobyname.
 *
 * The lookups are the C library's; what changes is the reporting. A failure returns (for
 * getaddrinfo/getnameinfo) and sets as last error the Winsock code (WSAHOST_NOT_FOUND,
 * WSATRY_AGAIN, WSANO_RECOVERY, WSAEAFNOSUPPORT, ...), which is also what <ws2tcpip.h>'s
 * EAI_* names stand for, as on Windows. Like every Winsock call they need WSAStartup.
 * Their results (hostent, servent, protoent) are per thread, as Windows' are.
 */
#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "api/startup.h"
#include "base/error.h"

/* The C library's EAI_* code as the Winsock error Windows gives for the same case. */
static int eai_to_wsa(int eai, int err)
{
    switch (eai) {
    case EAI_AGAIN:
        return WSATRY_AGAIN;
    case EAI_BADFLAGS:
        return WSAEINVAL;
    case EAI_FAIL:
        return WSANO_RECOVERY;
    case EAI_FAMILY:
        return WSAEAFNOSUPPORT;
    case EAI_MEMORY:
        return WSA_NOT_ENOUGH_MEMORY;
    case EAI_NONAME:
        return WSAHOST_NOT_FOUND;
    case EAI_NODATA:
    case EAI_ADDRFAMILY:
        return WSANO_DATA;
    case EAI_SERVICE:
        return WSATYPE_NOT_FOUND;
    case EAI_SOCKTYPE:
        return WSAESOCKTNOSUPPORT;
    case EAI_OVERFLOW:
        return WSAEFAULT;
    case EAI_SYSTEM:
        return err ? wsaio_errno_to_wsa(err) : WSANO_RECOVERY;
    default:
        return WSANO_RECOVERY;
    }
}

/* Returns code (0 or a WSA error), and records a failure as the last error. */
static int report(int code)
{
    if (code)
        wsaio_set_error((DWORD)code);
    return code;
}

WSAIO_EXPORT INT WSAAPI wsaio_getaddrinfo(PCSTR pNodeName, PCSTR pServiceName,
                                          const struct addrinfo *pHints, struct addrinfo **ppResult)
{
    int rc;

    if (!wsaio_initialised())
        return report(WSANOTINITIALISED);
    if (!ppResult)
        return report(WSAEINVAL);
    *ppResult = NULL;
    /* Windows: the hints' other members must be zero (WSANO_RECOVERY). */
    if (pHints &&
        (pHints->ai_addrlen || pHints->ai_canonname || pHints->ai_addr || pHints->ai_next))
        return report(WSANO_RECOVERY);
    errno = 0;
    rc = getaddrinfo(pNodeName, pServiceName, pHints, ppResult);

    if (rc != 0) {
        *ppResult = NULL;
        return report(eai_to_wsa(rc, errno));
    }
    return 0;
}

WSAIO_EXPORT VOID WSAAPI wsaio_freeaddrinfo(struct addrinfo *pAddrInfo)
{
    if (pAddrInfo)
        freeaddrinfo(pAddrInfo);
}

WSAIO_EXPORT INT WSAAPI wsaio_getnameinfo(const struct sockaddr *pSockaddr,
                                          socklen_t SockaddrLength, PCHAR pNodeBuffer,
                                          DWORD NodeBufferSize, PCHAR pServiceBuffer,
                                          DWORD ServiceBufferSize, INT Flags)
{
    int rc;

    if (!wsaio_initialised())
        return report(WSANOTINITIALISED);
    if (!pSockaddr)
        return report(WSAEFAULT);
    if (pSockaddr->sa_family != AF_INET && pSockaddr->sa_family != AF_INET6)
        return report(WSAEAFNOSUPPORT);
    if (SockaddrLength < (pSockaddr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                           : sizeof(struct sockaddr_in)))
        return report(WSAEFAULT);
    errno = 0;
    rc = getnameinfo(pSockaddr, SockaddrLength, pNodeBuffer, pNodeBuffer ? NodeBufferSize : 0,
                     pServiceBuffer, pServiceBuffer ? ServiceBufferSize : 0, Flags);

    return rc ? report(eai_to_wsa(rc, errno)) : 0;
}

/* The text Windows gives for each EAI_* value (FormatMessage of the code). */
static const struct {
    int code;
    const char *text;
} gai_texts[] = {
    {0, "The operation completed successfully."},
    {WSATRY_AGAIN, "This is usually a temporary error during hostname resolution and means that "
                   "the local server did not receive a response from an authoritative server."},
    {WSAEINVAL, "An invalid argument was supplied."},
    {WSANO_RECOVERY, "A non-recoverable error occurred during a database lookup."},
    {WSAEAFNOSUPPORT, "An address incompatible with the requested protocol was used."},
    {WSA_NOT_ENOUGH_MEMORY, "Not enough memory resources are available to process this command."},
    {WSAHOST_NOT_FOUND, "No such host is known."},
    {WSANO_DATA, "The requested name is valid, but no data of the requested type was found."},
    {WSATYPE_NOT_FOUND, "The specified class was not found."},
    {WSAESOCKTNOSUPPORT,
     "The support for the specified socket type does not exist in this address family."},
    {WSANOTINITIALISED, "Either the application has not called WSAStartup, or WSAStartup failed."},
    {WSAEFAULT, "The system detected an invalid pointer address in attempting to use a pointer "
                "argument in a call."},
};

WSAIO_EXPORT char *WSAAPI gai_strerrorA(int ecode)
{
    for (size_t i = 0; i < sizeof(gai_texts) / sizeof(gai_texts[0]); i++)
        if (gai_texts[i].code == ecode)
            return (char *)gai_texts[i].text;
    return (char *)"Unknown error.";
}

/* h_errno's value as the Winsock error. */
static int herr_to_wsa(int herr)
{
    switch (herr) {
    case HOST_NOT_FOUND:
        return WSAHOST_NOT_FOUND;
    case TRY_AGAIN:
        return WSATRY_AGAIN;
    case NO_DATA:
        return WSANO_DATA;
    default:
        return WSANO_RECOVERY;
    }
}

/* True when WSAStartup was called; else sets WSANOTINITIALISED. */
static bool started(void)
{
    if (wsaio_initialised())
        return true;
    wsaio_set_error(WSANOTINITIALISED);
    return false;
}

/* The first checks of a lookup by arg (a name or an address): WSAStartup called, arg not
 * NULL (WSAEFAULT). */
static bool lookup_ok(const void *arg)
{
    if (!started())
        return false;
    if (arg)
        return true;
    wsaio_set_error(WSAEFAULT);
    return false;
}

/* Ends a services or protocols lookup: the result, or NULL with WSANO_DATA. */
static void *db_done(int rc, void *res)
{
    if (rc == 0 && res)
        return res;
    wsaio_set_error(WSANO_DATA);
    return NULL;
}

/* Per-thread result of gethostbyname/gethostbyaddr (valid until the thread's next call). */
static __thread struct {
    struct hostent he;
    char buf[8192];
} host_result;

/* Ends a *_r lookup: the result, or NULL with the Winsock error. */
static struct hostent *host_done(int rc, struct hostent *res, int herr)
{
    if (rc == 0 && res)
        return res;
    wsaio_set_error(rc == ERANGE ? WSA_NOT_ENOUGH_MEMORY : (DWORD)herr_to_wsa(herr));
    return NULL;
}

WSAIO_EXPORT struct hostent *WSAAPI wsaio_gethostbyname(const char *name)
{
    char self[256];
    struct hostent *res = NULL;
    int herr = 0, rc;

    if (!started())
        return NULL;
    if (!name) { /* Windows: NULL is the local host */
        if (gethostname(self, sizeof(self)) != 0) {
            wsaio_set_error(WSANO_RECOVERY);
            return NULL;
        }
        self[sizeof(self) - 1] = 0;
        name = self;
    }
    rc = gethostbyname_r(name, &host_result.he, host_result.buf, sizeof(host_result.buf), &res,
                         &herr);
    return host_done(rc, res, herr);
}

WSAIO_EXPORT struct hostent *WSAAPI wsaio_gethostbyaddr(const char *addr, int len, int type)
{
    struct hostent *res = NULL;
    int herr = 0, rc;

    if (!lookup_ok(addr))
        return NULL;
    if (type != AF_INET && type != AF_INET6) {
        wsaio_set_error(WSAEAFNOSUPPORT);
        return NULL;
    }
    if (len < (type == AF_INET6 ? 16 : 4)) {
        wsaio_set_error(WSAEFAULT);
        return NULL;
    }
    rc = gethostbyaddr_r(addr, (socklen_t)len, type, &host_result.he, host_result.buf,
                         sizeof(host_result.buf), &res, &herr);
    return host_done(rc, res, herr);
}

static __thread struct {
    struct servent se;
    char buf[1024];
} serv_result;

WSAIO_EXPORT struct servent *WSAAPI wsaio_getservbyname(const char *name, const char *proto)
{
    struct servent *res = NULL;
    int rc;

    if (!lookup_ok(name))
        return NULL;
    rc = getservbyname_r(name, proto, &serv_result.se, serv_result.buf, sizeof(serv_result.buf),
                         &res);
    return db_done(rc, res);
}

static __thread struct {
    struct protoent pe;
    char buf[1024];
} proto_result;

WSAIO_EXPORT struct protoent *WSAAPI wsaio_getprotobyname(const char *name)
{
    struct protoent *res = NULL;
    int rc;

    if (!lookup_ok(name))
        return NULL;
    rc = getprotobyname_r(name, &proto_result.pe, proto_result.buf, sizeof(proto_result.buf), &res);
    return db_done(rc, res);
}
