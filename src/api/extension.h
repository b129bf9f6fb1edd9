/*
 * extension.h - WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER): the Microsoft extensions
 * by GUID (api.md 4.10.6).
 */
#ifndef WSAIO_API_EXTENSION_H
#define WSAIO_API_EXTENSION_H

#include <winsock2.h>

/* Writes the function of the GUID in `in` to `out` (*written = its size): 0, WSAEFAULT
 * (a bad or short GUID, an output that is not one pointer's size) or WSAEINVAL (a GUID
 * Windows does not know). Every extension Windows has is provided. */
int wsaio_ioctl_extension(const void *in, DWORD inlen, void *out, DWORD outlen, DWORD *written);

/* WSARecvMsg (recv.c; mswsock.h says what it does): as on Windows, only the table hands it
 * out (WSAID_WSARECVMSG), so it is not exported by name. */
int WSAAPI wsaio_wsarecvmsg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                            LPWSAOVERLAPPED lpOverlapped,
                            LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

#endif /* WSAIO_API_EXTENSION_H */
