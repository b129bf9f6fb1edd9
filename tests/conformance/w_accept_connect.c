/*
 * w_accept_connect.c - WSAAccept with a condition function, and WSAConnect (issue 12: the
 * Winsock calls a real program uses; conformance.md has no items for them yet).
 *
 * What Windows documents: WSAAccept takes the next connection of a listening socket and
 * calls the condition function with the caller's (peer's) address as caller id, the local
 * address as callee id, the caller/callee data (TCP has none) and the callback value. Its
 * verdict: CF_ACCEPT gives the new socket; CF_REJECT refuses the connection and WSAAccept
 * fails with WSAECONNREFUSED; CF_DEFER leaves it pending and WSAAccept fails with
 * WSATRY_AGAIN, the next WSAAccept being offered the same connection; any other value is
 * WSAEINVAL. Without a condition function WSAAccept is accept. WSAConnect is connect; TCP
 * carries no connect data, so a callee-data buffer comes back with len 0.
 */
#include "harness.h"

/* A listener on 127.0.0.1:ephemeral; *addr gets its address. */
static SOCKET listener(struct sockaddr_in *addr)
{
    SOCKET l;

    harness_startup();
    harness_listener(&l, addr);
    return l;
}

/* A client connected (blocking) to addr; *local gets its own address. */
static SOCKET client_of(const struct sockaddr_in *addr, struct sockaddr_in *local)
{
    SOCKET c = harness_connect_to(addr);
    int len = sizeof(*local);

    CHECK_EQ(getsockname(c, (struct sockaddr *)local, &len), 0);
    return c;
}

/* What the condition function saw, and what it answers. */
struct cond_state {
    int verdict;
    int calls;
    struct sockaddr_in caller, callee;
    ULONG caller_len, callee_len;
    BOOL caller_data_empty, callee_data_empty;
    BOOL group_given;
};

static int CALLBACK condition(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                              LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData, GROUP *g,
                              DWORD_PTR dwCallbackData)
{
    struct cond_state *st = (struct cond_state *)dwCallbackData;

    (void)lpSQOS;
    (void)lpGQOS;
    st->calls++;
    st->caller_len = lpCallerId ? lpCallerId->len : 0;
    if (lpCallerId && lpCallerId->len >= sizeof(st->caller))
        memcpy(&st->caller, lpCallerId->buf, sizeof(st->caller));
    st->callee_len = lpCalleeId ? lpCalleeId->len : 0;
    if (lpCalleeId && lpCalleeId->len >= sizeof(st->callee))
        memcpy(&st->callee, lpCalleeId->buf, sizeof(st->callee));
    st->caller_data_empty = !lpCallerData || lpCallerData->len == 0;
    st->callee_data_empty = !lpCalleeData || lpCalleeData->len == 0;
    st->group_given = g != NULL;
    return st->verdict;
}

/* a is the server side of c's connection: data goes through; then closes c, a and l. */
static void check_connection_and_close(SOCKET c, SOCKET a, SOCKET l)
{
    char buf[4];

    harness_send_all(c, "ping", 4);
    harness_recv_all(a, buf, 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static BOOL same_endpoint(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
    return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
           a->sin_addr.s_addr == b->sin_addr.s_addr;
}

TEST(wsaaccept_cf_accept_passes_ids_and_returns_socket)
{
    struct sockaddr_in la, ca, from;
    int fromlen = sizeof(from);
    struct cond_state st = {.verdict = CF_ACCEPT};
    SOCKET l = listener(&la), c = client_of(&la, &ca), a;

    a = WSAAccept(l, (struct sockaddr *)&from, &fromlen, condition, (DWORD_PTR)&st);
    CHECK(a != INVALID_SOCKET);
    CHECK_EQ(st.calls, 1);
    CHECK(st.caller_len >= sizeof(struct sockaddr_in));
    CHECK(same_endpoint(&st.caller, &ca));
    CHECK(st.callee_len >= sizeof(struct sockaddr_in));
    CHECK(same_endpoint(&st.callee, &la));
    CHECK(st.group_given);
    CHECK_EQ(fromlen, (int)sizeof(struct sockaddr_in));
    CHECK(same_endpoint(&from, &ca));
    check_connection_and_close(c, a, l);
}

TEST(wsaaccept_tcp_caller_and_callee_data_empty)
{
    struct sockaddr_in la, ca;
    struct cond_state st = {.verdict = CF_ACCEPT};
    SOCKET l = listener(&la), c = client_of(&la, &ca), a;

    a = WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st);
    CHECK(a != INVALID_SOCKET);
    CHECK(st.caller_data_empty);
    CHECK(st.callee_data_empty);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

TEST(wsaaccept_null_condition_is_accept)
{
    struct sockaddr_in la, ca, from;
    int fromlen = sizeof(from);
    SOCKET l = listener(&la), c = client_of(&la, &ca), a;

    a = WSAAccept(l, (struct sockaddr *)&from, &fromlen, NULL, 0);
    CHECK(a != INVALID_SOCKET);
    CHECK(same_endpoint(&from, &ca));
    check_connection_and_close(c, a, l);
}

TEST(wsaaccept_cf_reject_wsaeconnrefused)
{
    struct sockaddr_in la, ca;
    struct cond_state st = {.verdict = CF_REJECT};
    SOCKET l = listener(&la), c = client_of(&la, &ca);
    char buf[4];
    int n;

    WSASetLastError(0);
    CHECK_EQ(WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st), INVALID_SOCKET);
    CHECK_ERR(WSAECONNREFUSED);
    CHECK_EQ(st.calls, 1);
    /* the client's connection is gone: end of stream or a reset, never data */
    n = recv(c, buf, sizeof(buf), 0);
    CHECK(n <= 0);
    /* the next connection is offered, not the rejected one again */
    {
        struct sockaddr_in ca2;
        SOCKET c2 = client_of(&la, &ca2), a;

        st.verdict = CF_ACCEPT;
        a = WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st);
        CHECK(a != INVALID_SOCKET);
        CHECK(same_endpoint(&st.caller, &ca2));
        closesocket(a);
        closesocket(c2);
    }
    closesocket(c);
    closesocket(l);
}

TEST(wsaaccept_cf_defer_wsatry_again_then_same_connection)
{
    struct sockaddr_in la, ca;
    struct cond_state st = {.verdict = CF_DEFER};
    SOCKET l = listener(&la), c = client_of(&la, &ca), a;

    WSASetLastError(0);
    CHECK_EQ(WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st), INVALID_SOCKET);
    CHECK_ERR(WSATRY_AGAIN);
    CHECK_EQ(st.calls, 1);
    CHECK(same_endpoint(&st.caller, &ca));
    memset(&st.caller, 0, sizeof(st.caller));
    st.verdict = CF_ACCEPT;
    a = WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st);
    CHECK(a != INVALID_SOCKET);
    CHECK_EQ(st.calls, 2);
    CHECK(same_endpoint(&st.caller, &ca));
    check_connection_and_close(c, a, l);
}

TEST(wsaaccept_unknown_verdict_wsaeinval)
{
    struct sockaddr_in la, ca;
    struct cond_state st = {.verdict = 7};
    SOCKET l = listener(&la), c = client_of(&la, &ca);

    WSASetLastError(0);
    CHECK_EQ(WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st), INVALID_SOCKET);
    CHECK_ERR(WSAEINVAL);
    closesocket(c);
    closesocket(l);
}

TEST(wsaaccept_nonblocking_empty_queue_wouldblock_without_condition_call)
{
    struct sockaddr_in la;
    struct cond_state st = {.verdict = CF_ACCEPT};
    SOCKET l = listener(&la);

    harness_set_nonblocking(l, TRUE);
    WSASetLastError(0);
    CHECK_EQ(WSAAccept(l, NULL, NULL, condition, (DWORD_PTR)&st), INVALID_SOCKET);
    CHECK_ERR(WSAEWOULDBLOCK);
    CHECK_EQ(st.calls, 0);
    closesocket(l);
}

TEST(wsaaccept_errors_enotsock_efault)
{
    struct sockaddr_in la, ca, from;
    int fromlen = 4;
    struct cond_state st = {.verdict = CF_ACCEPT};
    SOCKET l = listener(&la), c = client_of(&la, &ca); /* queued: a wrong order cannot block */

    WSASetLastError(0);
    CHECK_EQ(WSAAccept(INVALID_SOCKET, NULL, NULL, condition, (DWORD_PTR)&st), INVALID_SOCKET);
    CHECK_ERR(WSAENOTSOCK);
    WSASetLastError(0);
    CHECK_EQ(WSAAccept(l, (struct sockaddr *)&from, &fromlen, condition, (DWORD_PTR)&st),
             INVALID_SOCKET);
    CHECK_ERR(WSAEFAULT);
    CHECK_EQ(st.calls, 0);
    closesocket(c);
    closesocket(l);
}

TEST(wsaconnect_connects_callee_data_empty)
{
    struct sockaddr_in la;
    SOCKET l = listener(&la), c, a;
    char callee[16];
    WSABUF callee_data = {sizeof(callee), callee};

    c = harness_tcp_socket();
    CHECK_EQ(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, &callee_data, NULL, NULL), 0);
    CHECK_EQ(callee_data.len, 0u);
    a = accept(l, NULL, NULL);
    CHECK(a != INVALID_SOCKET);
    check_connection_and_close(c, a, l);
}

TEST(wsaconnect_caller_data_not_sent_on_tcp)
{
    struct sockaddr_in la;
    SOCKET l = listener(&la), c, a;
    char data[] = "connect-data";
    WSABUF caller_data = {sizeof(data), data};

    c = harness_tcp_socket();
    CHECK_EQ(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), &caller_data, NULL, NULL, NULL), 0);
    a = accept(l, NULL, NULL);
    CHECK(a != INVALID_SOCKET);
    harness_expect_no_data(a);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

TEST(wsaconnect_refused_wsaeconnrefused)
{
    struct sockaddr_in la;
    SOCKET l = listener(&la), c;

    closesocket(l); /* nobody listens on la any more */
    c = harness_tcp_socket();
    WSASetLastError(0);
    CHECK_EQ(WSAConnect(c, (struct sockaddr *)&la, sizeof(la), NULL, NULL, NULL, NULL),
             SOCKET_ERROR);
    CHECK_ERR(WSAECONNREFUSED);
    closesocket(c);
}
