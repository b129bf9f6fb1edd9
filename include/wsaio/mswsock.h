/*
 * mswsock.h - Microsoft extensions to Winsock (AcceptEx, ConnectEx, DisconnectEx, ...),
 * obtained at run time through WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with the GUIDs
 * below (constants.md 10.8 and 11).
 */
#ifndef WSAIO_MSWSOCK_H
#define WSAIO_MSWSOCK_H

#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TF_DISCONNECT         0x01
#define TF_REUSE_SOCKET       0x02
#define TF_WRITE_BEHIND       0x04
#define TF_USE_DEFAULT_WORKER 0x00
#define TF_USE_SYSTEM_THREAD  0x10
#define TF_USE_KERNEL_APC     0x20
#define DE_REUSE_SOCKET       TF_REUSE_SOCKET

/* TransmitPackets' dwFlags: TransmitFile's. */
#define TP_DISCONNECT         TF_DISCONNECT
#define TP_REUSE_SOCKET       TF_REUSE_SOCKET
#define TP_USE_DEFAULT_WORKER TF_USE_DEFAULT_WORKER
#define TP_USE_SYSTEM_THREAD  TF_USE_SYSTEM_THREAD
#define TP_USE_KERNEL_APC     TF_USE_KERNEL_APC

/* TRANSMIT_PACKETS_ELEMENT's dwElFlags. */
#define TP_ELEMENT_MEMORY 1
#define TP_ELEMENT_FILE   2
#define TP_ELEMENT_EOP    4

#define WSAID_ACCEPTEX                                                                             \
    {                                                                                              \
        0xb5367df1, 0xcbac, 0x11cf,                                                                \
        {                                                                                          \
            0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92                                         \
        }                                                                                          \
    }
#define WSAID_GETACCEPTEXSOCKADDRS                                                                 \
    {                                                                                              \
        0xb5367df2, 0xcbac, 0x11cf,                                                                \
        {                                                                                          \
            0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92                                         \
        }                                                                                          \
    }
#define WSAID_CONNECTEX                                                                            \
    {                                                                                              \
        0x25a207b9, 0xddf3, 0x4660,                                                                \
        {                                                                                          \
            0x8e, 0xe9, 0x76, 0xe5, 0x8c, 0x74, 0x06, 0x3e                                         \
        }                                                                                          \
    }
#define WSAID_DISCONNECTEX                                                                         \
    {                                                                                              \
        0x7fda2e11, 0x8630, 0x436f,                                                                \
        {                                                                                          \
            0xa0, 0x31, 0xf5, 0x36, 0xa6, 0xee, 0xc1, 0x57                                         \
        }                                                                                          \
    }
#define WSAID_TRANSMITFILE                                                                         \
    {                                                                                              \
        0xb5367df0, 0xcbac, 0x11cf,                                                                \
        {                                                                                          \
            0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92                                         \
        }                                                                                          \
    }
#define WSAID_TRANSMITPACKETS                                                                      \
    {                                                                                              \
        0xd9689da0, 0x1f90, 0x11d3,                                                                \
        {                                                                                          \
            0x99, 0x71, 0x00, 0xc0, 0x4f, 0x68, 0xc8, 0x76                                         \
        }                                                                                          \
    }
#define WSAID_WSARECVMSG                                                                           \
    {                                                                                              \
        0xf689d7c8, 0x6f1f, 0x436b,                                                                \
        {                                                                                          \
            0x8a, 0x53, 0xe5, 0x4f, 0xe3, 0x51, 0xc3, 0x22                                         \
        }                                                                                          \
    }
#define WSAID_WSASENDMSG                                                                           \
    {                                                                                              \
        0xa441e712, 0x754f, 0x43ca,                                                                \
        {                                                                                          \
            0x84, 0xa7, 0x0d, 0xee, 0x44, 0xcf, 0x60, 0x6d                                         \
        }                                                                                          \
    }

typedef BOOL(WINAPI *LPFN_ACCEPTEX)(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                    PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                    DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                    LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped);
typedef BOOL(WINAPI *LPFN_CONNECTEX)(SOCKET s, const struct sockaddr *name, int namelen,
                                     PVOID lpSendBuffer, DWORD dwSendDataLength,
                                     LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);
typedef BOOL(WINAPI *LPFN_DISCONNECTEX)(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                        DWORD dwReserved);
/* TransmitFile's head and tail buffers. */
typedef struct _TRANSMIT_FILE_BUFFERS {
    LPVOID Head;
    DWORD HeadLength;
    LPVOID Tail;
    DWORD TailLength;
} TRANSMIT_FILE_BUFFERS, *PTRANSMIT_FILE_BUFFERS, *LPTRANSMIT_FILE_BUFFERS;

typedef BOOL(WINAPI *LPFN_TRANSMITFILE)(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                        DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                        LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers,
                                        DWORD dwReserved);
/* One element of TransmitPackets: cLength bytes at pBuffer (TP_ELEMENT_MEMORY) or of the
 * file hFile from nFileOffset (TP_ELEMENT_FILE; cLength 0: to the end of the file;
 * nFileOffset -1: from the file pointer). 24 bytes on 64-bit, Windows' layout. */
typedef struct _TRANSMIT_PACKETS_ELEMENT {
    ULONG dwElFlags;
    ULONG cLength;
    union {
        struct {
            LARGE_INTEGER nFileOffset;
            HANDLE hFile;
        };
        PVOID pBuffer;
    };
} TRANSMIT_PACKETS_ELEMENT, *PTRANSMIT_PACKETS_ELEMENT, *LPTRANSMIT_PACKETS_ELEMENT;

typedef BOOL(WINAPI *LPFN_TRANSMITPACKETS)(SOCKET hSocket, LPTRANSMIT_PACKETS_ELEMENT lpPacketArray,
                                           DWORD nElementCount, DWORD nSendSize,
                                           LPOVERLAPPED lpOverlapped, DWORD dwFlags);
typedef VOID(WINAPI *LPFN_GETACCEPTEXSOCKADDRS)(
    PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
    DWORD dwRemoteAddressLength, struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
    struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength);

typedef INT(WINAPI *LPFN_WSARECVMSG)(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                                     LPWSAOVERLAPPED lpOverlapped,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
typedef INT(WSAAPI *LPFN_WSASENDMSG)(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags,
                                     LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

/*
 * ConnectEx - connects the explicitly bound, unconnected stream socket s to name, then
 * sends lpSendBuffer (dwSendDataLength bytes; none when NULL or 0). Overlapped only
 * (lpOverlapped NULL: ERROR_INVALID_PARAMETER); normally FALSE with ERROR_IO_PENDING,
 * completing with the number of bytes sent, through the event, a port packet and
 * FD_CONNECT. Errors at the call: WSAENOTSOCK, WSAEFAULT (name NULL or namelen too short),
 * WSAEINVAL (not bound, listening, a connect in progress, not a stream socket),
 * WSAEISCONN. A refused attempt completes with WSAECONNREFUSED and may be repeated.
 * Exported by name here; Windows programs get it from WSAIoctl(WSAID_CONNECTEX).
 */
WSAIO_EXPORT BOOL WINAPI ConnectEx(SOCKET s, const struct sockaddr *name, int namelen,
                                   PVOID lpSendBuffer, DWORD dwSendDataLength,
                                   LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped);

/*
 * DisconnectEx - ends the connection of s gracefully (the send side is shut down; recv
 * still returns what is left, then 0). dwFlags 0 or TF_REUSE_SOCKET, dwReserved 0, else
 * WSAEINVAL; not connected: WSAENOTCONN. lpOverlapped NULL: synchronous, TRUE when done
 * (and again when repeated). With TF_REUSE_SOCKET it completes once the peer has closed
 * its side, and s is then a fresh socket (same SOCKET value, port association and
 * attributes) for AcceptEx or ConnectEx. Completes with 0 bytes; posts a port packet.
 * Exported by name here; Windows programs get it from WSAIoctl(WSAID_DISCONNECTEX).
 */
WSAIO_EXPORT BOOL WINAPI DisconnectEx(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                      DWORD dwReserved);

/*
 * AcceptEx (api.md 4.23): takes the next connection of the listening socket sListenSocket
 * into sAcceptSocket (a fresh, unbound stream socket of the same family), which is that
 * connection afterwards. lpOutputBuffer receives dwReceiveDataLength bytes of the first
 * data (0: complete once accepted), then the local and the remote address areas (each at
 * least the address size + 16, the local one may be 0); GetAcceptExSockaddrs reads them.
 * Normally FALSE with ERROR_IO_PENDING; the completion (bytes: the data received) goes to
 * lpOverlapped's event and the listener's completion port. Also returned by
 * SIO_GET_EXTENSION_FUNCTION_POINTER for WSAID_ACCEPTEX.
 */
WSAIO_EXPORT BOOL WINAPI AcceptEx(SOCKET sListenSocket, SOCKET sAcceptSocket, PVOID lpOutputBuffer,
                                  DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
                                  DWORD dwRemoteAddressLength, LPDWORD lpdwBytesReceived,
                                  LPOVERLAPPED lpOverlapped);

/*
 * GetAcceptExSockaddrs (api.md 4.24): points *LocalSockaddr and *RemoteSockaddr at the
 * addresses a completed AcceptEx stored in lpOutputBuffer (called with the same lengths),
 * with their sizes; an area of length 0 leaves its outputs untouched.
 */
WSAIO_EXPORT VOID WINAPI GetAcceptExSockaddrs(
    PVOID lpOutputBuffer, DWORD dwReceiveDataLength, DWORD dwLocalAddressLength,
    DWORD dwRemoteAddressLength, struct sockaddr **LocalSockaddr, LPINT LocalSockaddrLength,
    struct sockaddr **RemoteSockaddr, LPINT RemoteSockaddrLength);

/*
 * WSARecvMsg (api.md 4.29) is, as on Windows, not exported by name: a program gets it from
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) with WSAID_WSARECVMSG, as an
 * LPFN_WSARECVMSG. It receives one datagram (datagram and raw sockets only: a stream
 * socket gets WSAEOPNOTSUPP) into lpMsg->lpBuffers, its source into lpMsg->name, and the
 * control data the socket asked for (setsockopt IP_PKTINFO, IPV6_PKTINFO) into
 * lpMsg->Control, whose len becomes the length written; lpMsg->dwFlags returns MSG_TRUNC
 * (datagram cut: WSAEMSGSIZE) and MSG_CTRUNC (control data cut: WSAEMSGSIZE too). For an
 * overlapped call *lpMsg is written when the operation completes, before its indication.
 * WSASendMsg is in <winsock2.h>.
 */

/*
 * TransmitFile (api.md 4.28) - sends, on the connected stream socket hSocket, the head
 * buffer of lpTransmitBuffers (may be NULL), nNumberOfBytesToWrite bytes of the file hFile
 * (CreateFileA; 0: to its end; NULL: no file), then the tail buffer, in order with the
 * socket's other sends. The file goes from the page cache to the socket inside the kernel
 * (sendfile), never through user space. It starts at lpOverlapped's Offset/OffsetHigh, or
 * without an OVERLAPPED at the file pointer, which then ends after the bytes sent. dwFlags:
 * TF_DISCONNECT (the send side is shut down after the data), TF_REUSE_SOCKET (as
 * DisconnectEx with it: once the peer closed, the socket is fresh for AcceptEx or
 * ConnectEx), TF_WRITE_BEHIND, TF_USE_DEFAULT_WORKER, TF_USE_SYSTEM_THREAD,
 * TF_USE_KERNEL_APC (accepted; no effect); nNumberOfBytesPerSend is ignored. Without
 * lpOverlapped the call returns when done; with it, normally FALSE with ERROR_IO_PENDING,
 * completing (bytes: head + file + tail) through the event and a port packet; CancelIoEx
 * and closesocket abort it. Errors at the call: WSAENOTSOCK, WSAEINVAL (unknown flag,
 * hFile no file handle, more than 2^31-2 bytes), WSAEFAULT (a bad pointer), WSAENOTCONN
 * (not a connected stream socket). Exported by name here; Windows programs get it from
 * WSAIoctl(WSAID_TRANSMITFILE).
 */
WSAIO_EXPORT BOOL WINAPI TransmitFile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                      DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                      LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwFlags);

/*
 * TransmitPackets (api.md 4.30) - sends, on the connected stream socket hSocket, the
 * nElementCount elements of lpPacketArray in order, in order with the socket's other
 * sends: TP_ELEMENT_MEMORY, cLength bytes at pBuffer; TP_ELEMENT_FILE, cLength bytes (0:
 * to the end) of the file hFile (CreateFileA) from nFileOffset (-1: from its file pointer,
 * which then ends after the bytes sent), page cache to socket inside the kernel
 * (sendfile); TP_ELEMENT_EOP keeps an element out of the next one's segment. The array,
 * its buffers and its file handles must stay valid until the call completes (they are
 * read as the data goes out).
 * dwFlags: TP_DISCONNECT, TP_REUSE_SOCKET (as TransmitFile's TF_ ones), TP_USE_*
 * (accepted; no effect); nSendSize is ignored. Without lpOverlapped the call returns when
 * done; with it, normally FALSE with ERROR_IO_PENDING, completing (bytes: all bytes sent)
 * through the event and a port packet; CancelIoEx and closesocket abort it. Errors at the
 * call: WSAENOTSOCK, WSAEINVAL (unknown flag or element flag, an element with both or
 * neither of TP_ELEMENT_MEMORY and TP_ELEMENT_FILE, no elements without TP_DISCONNECT, a
 * file element whose hFile is no file handle, more than 2^31-2 bytes), WSAEFAULT (a bad
 * pointer), WSAENOTCONN (not a connected stream socket; datagram sockets are not
 * supported). Exported by name here; Windows programs get it from
 * WSAIoctl(WSAID_TRANSMITPACKETS).
 */
WSAIO_EXPORT BOOL WINAPI TransmitPackets(SOCKET hSocket, LPTRANSMIT_PACKETS_ELEMENT lpPacketArray,
                                         DWORD nElementCount, DWORD nSendSize,
                                         LPOVERLAPPED lpOverlapped, DWORD dwFlags);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_MSWSOCK_H */
