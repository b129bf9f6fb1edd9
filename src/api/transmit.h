/*
 * transmit.h - what TransmitFile (transmitfile.c) and TransmitPackets (transmitpackets.c)
 * share once their operation is built: the end of the stream they may ask for, and the
 * run, overlapped or waiting for the call's own OVERLAPPED.
 */
#ifndef WSAIO_API_TRANSMIT_H
#define WSAIO_API_TRANSMIT_H

#include <winsock2.h>

struct wsaio_op;
struct wsaio_socket;

/* Issues op (WSAIO_OP_TRANSMIT, its data stages set) on sk with the end dwFlags asks for
 * (TF_DISCONNECT, TF_REUSE_SOCKET: TP_ the same), through ov, or when ov is NULL through
 * own (hEvent 1) until done; drops the caller's socket reference and returns the call's
 * result, the Winsock error set. */
BOOL wsaio_transmit_issue(struct wsaio_socket *sk, struct wsaio_op *op, DWORD dwFlags,
                          LPOVERLAPPED ov, LPWSAOVERLAPPED own);

#endif /* WSAIO_API_TRANSMIT_H */
