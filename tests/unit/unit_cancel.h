/*
 * unit_cancel.h - the internal cancel path (core/cancel.h) as the unit tests call it, until
 * CancelIo / CancelIoEx are exported (issue 11).
 */
#ifndef WSAIO_UNIT_CANCEL_H
#define WSAIO_UNIT_CANCEL_H

#include "unit.h"

#include "core/cancel.h"
#include "core/socket.h"

/* Cancels s's operations issued with ov (NULL: any) by thread tid (0: any), delivering
 * their indications; returns how many matched. */
static inline int unit_cancel(SOCKET s, LPWSAOVERLAPPED ov, int32_t tid)
{
    struct wsaio_cancel_match m = {.ov = ov, .tid = tid, .deliver = true};
    struct wsaio_socket *sk = wsaio_socket_ref(s);
    int n;

    CHECK(sk);
    n = wsaio_cancel(sk, &m);
    wsaio_socket_put(sk);
    return n;
}

#endif /* WSAIO_UNIT_CANCEL_H */
