/*
 * fifo.h - the intrusive singly linked FIFO that the socket queues (core/engine.c) and the
 * completion ports (core/port.c) keep their records in: a head, a tail, a link field.
 */
#ifndef WSAIO_BASE_FIFO_H
#define WSAIO_BASE_FIFO_H

#include <stddef.h>

/* Appends item (a pointer) to the FIFO (head, tail), linked through its field `link`. */
#define WSAIO_FIFO_PUSH(head, tail, item, link)                                                    \
    do {                                                                                           \
        (item)->link = NULL;                                                                       \
        if (tail)                                                                                  \
            (tail)->link = (item);                                                                 \
        else                                                                                       \
            (head) = (item);                                                                       \
        (tail) = (item);                                                                           \
    } while (0)

#endif /* WSAIO_BASE_FIFO_H */
