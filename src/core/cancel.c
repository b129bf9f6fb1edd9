/*
 * cancel.c - the one cancel path (cancel.h): the engine's queues and the address-change
 * requests, each asked with the same match.
 */
#include "core/cancel.h"

#include "core/engine.h"
#include "core/netchange.h"

int wsaio_cancel(struct wsaio_socket *sk, const struct wsaio_cancel_match *m)
{
    return wsaio_engine_cancel(sk, m) + wsaio_netchange_cancel(sk, m);
}
