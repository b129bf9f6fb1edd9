/*
 * tp_elements.h - TRANSMIT_PACKETS_ELEMENT values for the TransmitPackets tests
 * (aa_transmitpackets.c, tests/unit/transmit_packets.c): one line per element.
 */
#ifndef WSAIO_TEST_TP_ELEMENTS_H
#define WSAIO_TEST_TP_ELEMENTS_H

#include <string.h>

#include <mswsock.h>

/* A memory element: n bytes at p. */
static inline TRANSMIT_PACKETS_ELEMENT tp_mem(const void *p, ULONG n)
{
    TRANSMIT_PACKETS_ELEMENT e;

    memset(&e, 0, sizeof(e));
    e.dwElFlags = TP_ELEMENT_MEMORY;
    e.cLength = n;
    e.pBuffer = (PVOID)p;
    return e;
}

/* A file element: n bytes (0: to the end) of f from offset (-1: the file pointer). */
static inline TRANSMIT_PACKETS_ELEMENT tp_file(HANDLE f, LONGLONG offset, ULONG n)
{
    TRANSMIT_PACKETS_ELEMENT e;

    memset(&e, 0, sizeof(e));
    e.dwElFlags = TP_ELEMENT_FILE;
    e.cLength = n;
    e.nFileOffset.QuadPart = offset;
    e.hFile = f;
    return e;
}

#endif /* WSAIO_TEST_TP_ELEMENTS_H */
