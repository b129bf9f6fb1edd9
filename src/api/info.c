/*
 * info.c - wsaio's own additions in <wsaio.h>: what it runs on and what it costs.
 */
#include <wsaio.h>

#include "backend/backend.h"
#include "core/engine.h"
#include "core/port.h"

WSAIO_EXPORT const char *wsaio_backend_name(void)
{
    const struct wsaio_backend *b = wsaio_engine_backend();

    return b ? b->name : "none";
}

WSAIO_EXPORT const char *wsaio_backend_refusal(void)
{
    return wsaio_engine_refusal();
}

WSAIO_EXPORT void wsaio_memory_info(size_t *per_pending_op, size_t *per_socket)
{
    if (per_pending_op) /* the common operation's: a plain record (core/op.h) */
        *per_pending_op = wsaio_op_size(false);
    if (per_socket) /* the record, plus its slot in the table (a 64-bit word and a pointer) */
        *per_socket = sizeof(struct wsaio_socket) + 2 * sizeof(uint64_t);
}

WSAIO_EXPORT void wsaio_port_memory_info(size_t *per_pending_acceptex,
                                         size_t *per_completion_packet, size_t *per_posted_packet)
{
    if (per_pending_acceptex) /* an extended record (its accept socket, addresses) */
        *per_pending_acceptex = wsaio_op_size(true);
    if (per_completion_packet) /* op->packet: the record is held until it is dequeued */
        *per_completion_packet = wsaio_op_size(false);
    if (per_posted_packet)
        *per_posted_packet = wsaio_port_packet_size();
}

WSAIO_EXPORT void wsaio_op_memory_info(size_t *per_plain_op, size_t *per_extended_op)
{
    if (per_plain_op)
        *per_plain_op = wsaio_op_size(false);
    if (per_extended_op)
        *per_extended_op = wsaio_op_size(true);
}
