/*
 * winsock2.h - Winsock 2 for Linux (wsaio).
 *
 * Windows types keep Windows widths (u_long is 32-bit, SOCKET is pointer-sized) and
 * Winsock-only constants keep Windows values. Names that Linux's own socket headers
 * already define (AF_*, SOL_SOCKET, SO_REUSEADDR, MSG_PEEK, struct sockaddr_in, ...) keep
 * the Linux definitions: the program is recompiled, so the name is what must match, and
 * <winsock2.h> can be mixed with <netinet/in.h> in one file. (spec/constants.md asks for
 * Windows numbers there; docs/deviations.md records this choice.)
 *
 * A SOCKET is the Linux descriptor of the socket (never 0). Socket functions whose names
 * are also POSIX functions (socket, bind, send, select, fd_set, ...) are mapped here to
 * wsaio's own entry points, so that WSAGetLastError() is right after every Winsock call.
 * Define WSAIO_NO_POSIX_MAPPING to keep the POSIX names untouched (the wsaio_* functions
 * stay available).
 *
 * FD_SETSIZE is 64 as on Windows; define it before including this header to change it.
 */
#ifndef WSAIO_WINSOCK2_H
#define WSAIO_WINSOCK2_H

#include "wsaio_features.h" /* first: before any system header */

/* Capture a program's own FD_SETSIZE before the system headers define theirs. */
#if defined(FD_SETSIZE) && !defined(WSAIO_BUILDING)
enum { wsaio_user_fd_setsize_ = FD_SETSIZE };
#define WSAIO_FD_SETSIZE_ wsaio_user_fd_setsize_
#undef FD_SETSIZE
#else
#define WSAIO_FD_SETSIZE_ 64
#endif

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/select.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
/* Declares gethostname before the mapping below renames it: a later <unistd.h> is then a
 * no-op instead of a conflicting declaration of wsaio_gethostname (issue 9 defect 10). */
#include <unistd.h>

#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Types ------------------------------------------------------------------------- */

/* glibc declares its BSD names only outside strict ISO C (-std=c11 without _GNU_SOURCE);
 * Windows programs use them whatever the standard. */
#ifndef __USE_MISC
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
#endif

/* Windows' u_long is 32-bit; glibc's is 64-bit. */
#define u_long wsaio_u_long
typedef uint32_t wsaio_u_long;

typedef UINT_PTR SOCKET;
typedef HANDLE WSAEVENT, *LPWSAEVENT;
typedef OVERLAPPED WSAOVERLAPPED, *LPWSAOVERLAPPED;
typedef unsigned int GROUP;

#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR   (-1)

typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
typedef struct sockaddr_in SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;
typedef struct sockaddr_in6 SOCKADDR_IN6, *PSOCKADDR_IN6, *LPSOCKADDR_IN6;
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, *LPSOCKADDR_STORAGE;
typedef struct in_addr IN_ADDR, *PIN_ADDR, *LPIN_ADDR;
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;
typedef struct linger LINGER, *PLINGER, *LPLINGER;
typedef struct timeval TIMEVAL, *PTIMEVAL, *LPTIMEVAL;
typedef struct hostent HOSTENT, *PHOSTENT, *LPHOSTENT;
typedef uint16_t ADDRESS_FAMILY;

/* Scatter/gather buffer: length first, then pointer (never cast to struct iovec). */
typedef struct _WSABUF {
    ULONG len;
    CHAR *buf;
} WSABUF, *LPWSABUF;

/*
 * WSARecvMsg / WSASendMsg's message (Windows' ws2def.h layout). Control holds control
 * data: WSACMSGHDR records, each padded to WSA_CMSG_SPACE. On LP64 a WSACMSGHDR has the
 * layout of Linux's struct cmsghdr, so the records are the kernel's own; their levels,
 * types and payloads are named as on Windows (IPPROTO_IP / IP_PKTINFO / IN_PKTINFO...)
 * and keep Linux's numbers, as every name Linux defines does (docs/deviations.md).
 */
typedef struct _WSAMSG {
    LPSOCKADDR name; /* source (receive) or destination (send); NULL when connected */
    INT namelen;
    LPWSABUF lpBuffers;
    ULONG dwBufferCount;
    WSABUF Control;
    ULONG dwFlags; /* WSARecvMsg: MSG_PEEK in; MSG_TRUNC, MSG_CTRUNC out */
} WSAMSG, *PWSAMSG, *LPWSAMSG;

typedef struct _WSACMSGHDR {
    SIZE_T cmsg_len; /* header and data, not the padding after it */
    INT cmsg_level;
    INT cmsg_type;
    /* followed by the data */
} WSACMSGHDR, *PWSACMSGHDR, *LPWSACMSGHDR;

#define WSA_CMSGHDR_ALIGN(n)  (((n) + sizeof(SIZE_T) - 1) & ~(sizeof(SIZE_T) - 1))
#define WSA_CMSGDATA_ALIGN(n) (((n) + sizeof(void *) - 1) & ~(sizeof(void *) - 1))
#define WSA_CMSG_DATA(c)      ((unsigned char *)(c) + WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)))
#define WSA_CMSG_SPACE(n)     (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR) + WSA_CMSGHDR_ALIGN(n)))
#define WSA_CMSG_LEN(n)       (WSA_CMSGDATA_ALIGN(sizeof(WSACMSGHDR)) + (n))
#define WSA_CMSG_FIRSTHDR(m)                                                                       \
    ((m)->Control.len >= sizeof(WSACMSGHDR) ? (LPWSACMSGHDR)(void *)(m)->Control.buf               \
                                            : (LPWSACMSGHDR)NULL)
#define WSA_CMSG_NXTHDR(m, c)                                                                      \
    (!(c) ? WSA_CMSG_FIRSTHDR(m)                                                                   \
     : ((unsigned char *)(c) + WSA_CMSGHDR_ALIGN((c)->cmsg_len) + sizeof(WSACMSGHDR) >             \
        (unsigned char *)(m)->Control.buf + (m)->Control.len)                                      \
         ? (LPWSACMSGHDR)NULL                                                                      \
         : (LPWSACMSGHDR)(void *)((unsigned char *)(c) + WSA_CMSGHDR_ALIGN((c)->cmsg_len)))

typedef void(CALLBACK *LPWSAOVERLAPPED_COMPLETION_ROUTINE)(DWORD dwError, DWORD cbTransferred,
                                                           LPWSAOVERLAPPED lpOverlapped,
                                                           DWORD dwFlags);

#define WSADESCRIPTION_LEN 256
#define WSASYS_STATUS_LEN  128

/* WSADATA, 64-bit Windows field order (api.md 4.1). */
typedef struct WSAData {
    WORD wVersion;
    WORD wHighVersion;
    unsigned short iMaxSockets;
    unsigned short iMaxUdpDg;
    char *lpVendorInfo;
    char szDescription[WSADESCRIPTION_LEN + 1];
    char szSystemStatus[WSASYS_STATUS_LEN + 1];
} WSADATA, *LPWSADATA;

#define FD_READ_BIT                     0
#define FD_READ                         (1 << FD_READ_BIT)
#define FD_WRITE_BIT                    1
#define FD_WRITE                        (1 << FD_WRITE_BIT)
#define FD_OOB_BIT                      2
#define FD_OOB                          (1 << FD_OOB_BIT)
#define FD_ACCEPT_BIT                   3
#define FD_ACCEPT                       (1 << FD_ACCEPT_BIT)
#define FD_CONNECT_BIT                  4
#define FD_CONNECT                      (1 << FD_CONNECT_BIT)
#define FD_CLOSE_BIT                    5
#define FD_CLOSE                        (1 << FD_CLOSE_BIT)
#define FD_QOS_BIT                      6
#define FD_QOS                          (1 << FD_QOS_BIT)
#define FD_GROUP_QOS_BIT                7
#define FD_GROUP_QOS                    (1 << FD_GROUP_QOS_BIT)
#define FD_ROUTING_INTERFACE_CHANGE_BIT 8
#define FD_ROUTING_INTERFACE_CHANGE     (1 << FD_ROUTING_INTERFACE_CHANGE_BIT)
#define FD_ADDRESS_LIST_CHANGE_BIT      9
#define FD_ADDRESS_LIST_CHANGE          (1 << FD_ADDRESS_LIST_CHANGE_BIT)
#define FD_MAX_EVENTS                   10
#define FD_ALL_EVENTS                   ((1 << FD_MAX_EVENTS) - 1)

typedef struct _WSANETWORKEVENTS {
    LONG lNetworkEvents;
    int iErrorCode[FD_MAX_EVENTS];
} WSANETWORKEVENTS, *LPWSANETWORKEVENTS;

#define MAX_PROTOCOL_CHAIN 7
#define WSAPROTOCOL_LEN    255

typedef struct _WSAPROTOCOLCHAIN {
    int ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN, *LPWSAPROTOCOLCHAIN;

typedef struct _WSAPROTOCOL_INFOA {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    CHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOA, *LPWSAPROTOCOL_INFOA;

typedef struct _WSAPROTOCOL_INFOW {
    DWORD dwServiceFlags1;
    DWORD dwServiceFlags2;
    DWORD dwServiceFlags3;
    DWORD dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion;
    int iAddressFamily;
    int iMaxSockAddr;
    int iMinSockAddr;
    int iSocketType;
    int iProtocol;
    int iProtocolMaxOffset;
    int iNetworkByteOrder;
    int iSecurityScheme;
    DWORD dwMessageSize;
    DWORD dwProviderReserved;
    WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW, *LPWSAPROTOCOL_INFOW;

#define BIGENDIAN    0x0000
#define LITTLEENDIAN 0x0001

typedef struct _SOCKET_ADDRESS {
    LPSOCKADDR lpSockaddr;
    INT iSockaddrLength;
} SOCKET_ADDRESS, *PSOCKET_ADDRESS, *LPSOCKET_ADDRESS;

typedef struct _SOCKET_ADDRESS_LIST {
    INT iAddressCount;
    SOCKET_ADDRESS Address[1];
} SOCKET_ADDRESS_LIST, *PSOCKET_ADDRESS_LIST, *LPSOCKET_ADDRESS_LIST;

/* Quality of service is out of scope; the type exists for WSAConnect's signature. */
typedef struct _QualityOfService QOS, *LPQOS;

/* Verdicts of a WSAAccept condition function. */
#define CF_ACCEPT 0x0000
#define CF_REJECT 0x0001
#define CF_DEFER  0x0002

typedef int(CALLBACK *LPCONDITIONPROC)(LPWSABUF lpCallerId, LPWSABUF lpCallerData, LPQOS lpSQOS,
                                       LPQOS lpGQOS, LPWSABUF lpCalleeId, LPWSABUF lpCalleeData,
                                       GROUP *g, DWORD_PTR dwCallbackData);

/* Windows fd_set: a count and an array of SOCKETs (not a bitmap). */
#undef FD_SETSIZE
#define FD_SETSIZE WSAIO_FD_SETSIZE_
#define fd_set     wsaio_fd_set
typedef struct wsaio_fd_set {
    unsigned int fd_count;
    SOCKET fd_array[FD_SETSIZE];
} wsaio_fd_set, FD_SET, *PFD_SET, *LPFD_SET;

/** __WSAFDIsSet - nonzero when s is in *set (the FD_ISSET macro). */
WSAIO_EXPORT int WSAAPI __WSAFDIsSet(SOCKET s, wsaio_fd_set *set);

#undef FD_CLR
#undef FD_SET
#undef FD_ZERO
#undef FD_ISSET
/* Functions, not statement macros: gcc's maybe-uninitialized analysis cannot see that the
 * loops never read fd_array past fd_count (issue 9 defect 10). */
static inline void wsaio_fd_clr_(SOCKET fd, wsaio_fd_set *set)
{
    unsigned int i;
    for (i = 0; i < set->fd_count; i++) {
        if (set->fd_array[i] == fd) {
            for (; i + 1 < set->fd_count; i++)
                set->fd_array[i] = set->fd_array[i + 1];
            set->fd_count--;
            return;
        }
    }
}
static inline void wsaio_fd_set_(SOCKET fd, wsaio_fd_set *set)
{
    unsigned int i;
    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == fd)
            return;
    if (set->fd_count < FD_SETSIZE)
        set->fd_array[set->fd_count++] = fd;
}
#define FD_CLR(fd, set)   wsaio_fd_clr_((SOCKET)(fd), (wsaio_fd_set *)(set))
#define FD_SET(fd, set)   wsaio_fd_set_((SOCKET)(fd), (wsaio_fd_set *)(set))
#define FD_ZERO(set)      (((wsaio_fd_set *)(set))->fd_count = 0)
#define FD_ISSET(fd, set) __WSAFDIsSet((SOCKET)(fd), (wsaio_fd_set *)(set))

/* WSAPoll: struct pollfd with a SOCKET; POLL* values are Linux's. */
typedef struct pollfd_wsa {
    SOCKET fd;
    SHORT events;
    SHORT revents;
} WSAPOLLFD, *PWSAPOLLFD, *LPWSAPOLLFD;

/* ---- Constants (Windows values for Winsock-only names) ----------------------------- */

#define WSA_WAIT_EVENT_0        ((DWORD)0)
#define WSA_WAIT_IO_COMPLETION  ((DWORD)0xC0)
#define WSA_WAIT_TIMEOUT        ((DWORD)258)
#define WSA_WAIT_FAILED         ((DWORD)0xFFFFFFFF)
#define WSA_INFINITE            ((DWORD)0xFFFFFFFF)
#define WSA_MAXIMUM_WAIT_EVENTS 64
#define WSA_INVALID_EVENT       ((WSAEVENT)NULL)

#define WSA_FLAG_OVERLAPPED             0x01
#define WSA_FLAG_MULTIPOINT_C_ROOT      0x02
#define WSA_FLAG_MULTIPOINT_C_LEAF      0x04
#define WSA_FLAG_MULTIPOINT_D_ROOT      0x08
#define WSA_FLAG_MULTIPOINT_D_LEAF      0x10
#define WSA_FLAG_ACCESS_SYSTEM_SECURITY 0x40
#define WSA_FLAG_NO_HANDLE_INHERIT      0x80
#define WSA_FLAG_REGISTERED_IO          0x100
#define SG_UNCONSTRAINED_GROUP          0x01
#define SG_CONSTRAINED_GROUP            0x02
#define FROM_PROTOCOL_INFO              (-1)

#define SD_RECEIVE 0x00
#define SD_SEND    0x01
#define SD_BOTH    0x02

/* Message flags that Linux does not name (MSG_OOB, MSG_PEEK, MSG_WAITALL... are Linux's). */
#define MSG_INTERRUPT      0x0010
#define MSG_PUSH_IMMEDIATE 0x0020
#define MSG_BCAST          0x0400
#define MSG_MCAST          0x0800
#define MSG_PARTIAL        0x8000
#define MSG_MAXIOVLEN      16

/* Socket options that Linux does not name (level SOL_SOCKET). */
#define SO_DONTLINGER             ((int)(~SO_LINGER))
#define SO_EXCLUSIVEADDRUSE       ((int)(~SO_REUSEADDR))
#define SO_USELOOPBACK            0x0040
#define SO_MAX_MSG_SIZE           0x2003
#define SO_PROTOCOL_INFOA         0x2004
#define SO_PROTOCOL_INFOW         0x2005
#define SO_CONDITIONAL_ACCEPT     0x3002
#define SO_CONNDATA               0x7000
#define SO_CONNOPT                0x7001
#define SO_DISCDATA               0x7002
#define SO_DISCOPT                0x7003
#define SO_CONNDATALEN            0x7004
#define SO_CONNOPTLEN             0x7005
#define SO_DISCDATALEN            0x7006
#define SO_DISCOPTLEN             0x7007
#define SO_OPENTYPE               0x7008
#define SO_SYNCHRONOUS_ALERT      0x10
#define SO_SYNCHRONOUS_NONALERT   0x20
#define SO_MAXDG                  0x7009
#define SO_MAXPATHDG              0x700A
#define SO_UPDATE_ACCEPT_CONTEXT  0x700B
#define SO_CONNECT_TIME           0x700C
#define SO_UPDATE_CONNECT_CONTEXT 0x7010

/* Ioctl codes: Windows encoding with a 4-byte u_long (constants.md 8). */
/* Linux's <asm-generic/ioctl.h> (included above) names these too, differently. */
#undef IOC_VOID
#undef IOC_OUT
#undef IOC_IN
#undef IOC_INOUT
#define IOCPARM_MASK   0x7f
#define IOC_VOID       0x20000000
#define IOC_OUT        0x40000000
#define IOC_IN         0x80000000
#define IOC_INOUT      (IOC_IN | IOC_OUT)
#define IOC_UNIX       0x00000000
#define IOC_WS2        0x08000000
#define IOC_PROTOCOL   0x10000000
#define IOC_VENDOR     0x18000000
#define _WSAIO(x, y)   (IOC_VOID | (x) | (y))
#define _WSAIOR(x, y)  (IOC_OUT | (x) | (y))
#define _WSAIOW(x, y)  (IOC_IN | (x) | (y))
#define _WSAIORW(x, y) (IOC_INOUT | (x) | (y))

/* Linux's <sys/ioctl.h> values of these names are not the Winsock codes. */
#undef FIONREAD
#undef FIONBIO
#undef FIOASYNC
#undef SIOCATMARK
#undef SIOCSHIWAT
#undef SIOCGHIWAT
#undef SIOCSLOWAT
#undef SIOCGLOWAT
#define FIONREAD   0x4004667F
#define FIONBIO    0x8004667E
#define FIOASYNC   0x8004667D
#define SIOCSHIWAT 0x80047300
#define SIOCGHIWAT 0x40047301
#define SIOCSLOWAT 0x80047302
#define SIOCGLOWAT 0x40047303
#define SIOCATMARK 0x40047307

#define SIO_ASSOCIATE_HANDLE               0x88000001
#define SIO_ENABLE_CIRCULAR_QUEUEING       0x28000002
#define SIO_FIND_ROUTE                     0x48000003
#define SIO_FLUSH                          0x28000004
#define SIO_GET_BROADCAST_ADDRESS          0x48000005
#define SIO_GET_EXTENSION_FUNCTION_POINTER 0xC8000006
#define SIO_GET_QOS                        0xC8000007
#define SIO_GET_GROUP_QOS                  0xC8000008
#define SIO_MULTIPOINT_LOOPBACK            0x88000009
#define SIO_MULTICAST_SCOPE                0x8800000A
#define SIO_SET_QOS                        0x8800000B
#define SIO_SET_GROUP_QOS                  0x8800000C
#define SIO_TRANSLATE_HANDLE               0xC800000D
#define SIO_ROUTING_INTERFACE_QUERY        0xC8000014
#define SIO_ROUTING_INTERFACE_CHANGE       0x88000015
#define SIO_ADDRESS_LIST_QUERY             0x48000016
#define SIO_ADDRESS_LIST_CHANGE            0x28000017
#define SIO_QUERY_TARGET_PNP_HANDLE        0x48000018
#define SIO_ADDRESS_LIST_SORT              0xC8000019
#define SIO_BASE_HANDLE                    0x48000022
#define SIO_GET_INTERFACE_LIST             0x4004747F
#define SIO_KEEPALIVE_VALS                 0x98000004
#define SIO_UDP_CONNRESET                  0x9800000C

/* ---- Startup, last error ----------------------------------------------------------- */

/**
 * WSAStartup - negotiates the version (MAKEWORD(major, minor)) and counts one more user of
 * the library. Returns 0, WSAVERNOTSUPPORTED (major 0) or WSAEFAULT (lpWSAData NULL) as its
 * value; the last-error slot is not used.
 */
WSAIO_EXPORT int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData);
/**
 * WSACleanup - counts one user less; the last one closes every socket of the process
 * abortively and cancels their pending operations without any completion indication.
 * SOCKET_ERROR with WSANOTINITIALISED when the count is already 0.
 */
WSAIO_EXPORT int WSAAPI WSACleanup(void);
/** WSAGetLastError - the calling thread's last error (same slot as GetLastError). */
WSAIO_EXPORT int WSAAPI WSAGetLastError(void);
/** WSASetLastError - writes the calling thread's last error. */
WSAIO_EXPORT void WSAAPI WSASetLastError(int iError);

/* ---- Event objects (manual-reset; work without WSAStartup) ------------------------- */

/** WSACreateEvent - a new non-signalled manual-reset event; WSA_INVALID_EVENT on failure. */
WSAIO_EXPORT WSAEVENT WSAAPI WSACreateEvent(void);
/** WSASetEvent - signals the event; FALSE with WSA_INVALID_HANDLE for a bad handle. */
WSAIO_EXPORT BOOL WSAAPI WSASetEvent(WSAEVENT hEvent);
/** WSAResetEvent - makes the event non-signalled; FALSE with WSA_INVALID_HANDLE. */
WSAIO_EXPORT BOOL WSAAPI WSAResetEvent(WSAEVENT hEvent);
/** WSACloseEvent - destroys the handle; FALSE with WSA_INVALID_HANDLE. */
WSAIO_EXPORT BOOL WSAAPI WSACloseEvent(WSAEVENT hEvent);
/**
 * WSAWaitForMultipleEvents - waits for any (lowest signalled index) or all of 1..64
 * events, up to dwTimeout ms (WSA_INFINITE: forever). Alertable: runs the thread's queued
 * completion routines and returns WSA_WAIT_IO_COMPLETION, unless an event was already
 * signalled at entry. WSA_WAIT_FAILED with WSA_INVALID_PARAMETER or WSA_INVALID_HANDLE.
 */
WSAIO_EXPORT DWORD WSAAPI WSAWaitForMultipleEvents(DWORD cEvents, const WSAEVENT *lphEvents,
                                                   BOOL fWaitAll, DWORD dwTimeout, BOOL fAlertable);

/* ---- Byte order -------------------------------------------------------------------- */

/**
 * WSAHtonl/WSAHtons/WSANtohl/WSANtohs - convert between host order and the network order
 * of the socket's protocol (big-endian for TCP and UDP). 0 on success; SOCKET_ERROR with
 * WSANOTINITIALISED, WSAENOTSOCK or WSAEFAULT (NULL output, left unwritten).
 */
WSAIO_EXPORT int WSAAPI WSAHtonl(SOCKET s, u_long hostlong, u_long *lpnetlong);
WSAIO_EXPORT int WSAAPI WSAHtons(SOCKET s, u_short hostshort, u_short *lpnetshort);
WSAIO_EXPORT int WSAAPI WSANtohl(SOCKET s, u_long netlong, u_long *lphostlong);
WSAIO_EXPORT int WSAAPI WSANtohs(SOCKET s, u_short netshort, u_short *lphostshort);

/* ---- Sockets ----------------------------------------------------------------------- */

/**
 * WSASocketA/W - creates a socket; WSA_FLAG_OVERLAPPED gives it the overlapped attribute.
 * Errors: WSANOTINITIALISED, WSAEAFNOSUPPORT, WSAESOCKTNOSUPPORT, WSAEPROTONOSUPPORT,
 * WSAEINVAL (groups, multipoint flags, AF_UNSPEC without a protocol), WSAEMFILE.
 */
WSAIO_EXPORT SOCKET WSAAPI WSASocketA(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags);
WSAIO_EXPORT SOCKET WSAAPI WSASocketW(int af, int type, int protocol,
                                      LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags);
/** closesocket - closes s; pending overlapped operations complete WSA_OPERATION_ABORTED. */
WSAIO_EXPORT int WSAAPI closesocket(SOCKET s);
/** ioctlsocket - FIONBIO, FIONREAD, SIOCATMARK. */
WSAIO_EXPORT int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp);
/** WSAIoctl - socket control codes, optionally overlapped (api.md 4.10). */
WSAIO_EXPORT int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer,
                                 DWORD cbInBuffer, LPVOID lpvOutBuffer, DWORD cbOutBuffer,
                                 LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSARecv - scatter receive; overlapped when lpOverlapped is non-NULL (api.md 4.5). */
WSAIO_EXPORT int WSAAPI WSARecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSARecvFrom - scatter receive with the source address (api.md 4.6). */
WSAIO_EXPORT int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                    LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags,
                                    struct sockaddr *lpFrom, LPINT lpFromlen,
                                    LPWSAOVERLAPPED lpOverlapped,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSASend - gather send; overlapped when lpOverlapped is non-NULL (api.md 4.7). */
WSAIO_EXPORT int WSAAPI WSASend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                LPWSAOVERLAPPED lpOverlapped,
                                LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSASendTo - gather send to an address (api.md 4.8). */
WSAIO_EXPORT int WSAAPI WSASendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                                  LPDWORD lpNumberOfBytesSent, DWORD dwFlags,
                                  const struct sockaddr *lpTo, int iTolen,
                                  LPWSAOVERLAPPED lpOverlapped,
                                  LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/**
 * WSASendMsg - WSASendTo with control data (api.md 4.29): lpMsg->name (NULL: connected),
 * lpMsg->lpBuffers, and lpMsg->Control, whose IP_PKTINFO / IPV6_PKTINFO choose the source
 * address and interface. Also returned by SIO_GET_EXTENSION_FUNCTION_POINTER for
 * WSAID_WSASENDMSG. Errors as WSASendTo's, and WSAEFAULT for a bad lpMsg or Control,
 * WSAENOBUFS for control data longer than 96 bytes, WSAEINVAL for malformed records.
 */
WSAIO_EXPORT int WSAAPI WSASendMsg(SOCKET Handle, LPWSAMSG lpMsg, DWORD dwFlags,
                                   LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);
/** WSAGetOverlappedResult - result of an overlapped operation, WSA error codes (4.9). */
WSAIO_EXPORT BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped,
                                                LPDWORD lpcbTransfer, BOOL fWait,
                                                LPDWORD lpdwFlags);
/** WSAEventSelect - records network events of s and signals hEventObject (4.14). */
WSAIO_EXPORT int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT hEventObject, LONG lNetworkEvents);
/** WSAEnumNetworkEvents - reports and clears the recorded network events (4.15). */
WSAIO_EXPORT int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                             LPWSANETWORKEVENTS lpNetworkEvents);
/** WSAPoll - poll(2) over SOCKETs. */
WSAIO_EXPORT int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout);
/**
 * WSAConnect - connect. TCP has no connect data (as on Windows): lpCallerData is not sent,
 * lpCalleeData->len is set to 0 on success; the QOS arguments are ignored.
 */
WSAIO_EXPORT int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen,
                                   LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                                   LPQOS lpGQOS);
/**
 * WSAAccept - accept, with an optional condition function called with the peer's address
 * (caller id), the local address (callee id) and empty caller/callee data. CF_ACCEPT: the
 * new socket; CF_REJECT: the connection is reset, INVALID_SOCKET with WSAECONNREFUSED;
 * CF_DEFER: INVALID_SOCKET with WSATRY_AGAIN, the same connection is offered to the next
 * WSAAccept; another value: reset, WSAEINVAL. Otherwise the errors of accept.
 */
WSAIO_EXPORT SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                                     LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData);

/*
 * BSD-named functions with Winsock semantics. Their symbols are wsaio_*; the macros below
 * map the POSIX names to them unless WSAIO_NO_POSIX_MAPPING or WSAIO_BUILDING is defined.
 */
WSAIO_EXPORT SOCKET WSAAPI wsaio_socket(int af, int type, int protocol);
WSAIO_EXPORT int WSAAPI wsaio_bind(SOCKET s, const struct sockaddr *name, int namelen);
WSAIO_EXPORT int WSAAPI wsaio_listen(SOCKET s, int backlog);
WSAIO_EXPORT int WSAAPI wsaio_connect(SOCKET s, const struct sockaddr *name, int namelen);
WSAIO_EXPORT SOCKET WSAAPI wsaio_accept(SOCKET s, struct sockaddr *addr, int *addrlen);
WSAIO_EXPORT int WSAAPI wsaio_send(SOCKET s, const char *buf, int len, int flags);
WSAIO_EXPORT int WSAAPI wsaio_recv(SOCKET s, char *buf, int len, int flags);
WSAIO_EXPORT int WSAAPI wsaio_sendto(SOCKET s, const char *buf, int len, int flags,
                                     const struct sockaddr *to, int tolen);
WSAIO_EXPORT int WSAAPI wsaio_recvfrom(SOCKET s, char *buf, int len, int flags,
                                       struct sockaddr *from, int *fromlen);
WSAIO_EXPORT int WSAAPI wsaio_shutdown(SOCKET s, int how);
WSAIO_EXPORT int WSAAPI wsaio_setsockopt(SOCKET s, int level, int optname, const char *optval,
                                         int optlen);
WSAIO_EXPORT int WSAAPI wsaio_getsockopt(SOCKET s, int level, int optname, char *optval,
                                         int *optlen);
WSAIO_EXPORT int WSAAPI wsaio_getsockname(SOCKET s, struct sockaddr *name, int *namelen);
WSAIO_EXPORT int WSAAPI wsaio_getpeername(SOCKET s, struct sockaddr *name, int *namelen);
WSAIO_EXPORT int WSAAPI wsaio_select(int nfds, wsaio_fd_set *readfds, wsaio_fd_set *writefds,
                                     wsaio_fd_set *exceptfds, const struct timeval *timeout);
WSAIO_EXPORT int WSAAPI wsaio_gethostname(char *name, int namelen);
/*
 * wsaio_gethostbyname/wsaio_gethostbyaddr (gethostbyname, gethostbyaddr) - the C
 * library's lookups with a per-thread result, as on Windows; NULL name is the local host.
 * Failure: NULL with WSAHOST_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY, WSANO_DATA (also
 * what h_errno reads), WSAEAFNOSUPPORT, WSAEFAULT or WSANOTINITIALISED.
 */
WSAIO_EXPORT struct hostent *WSAAPI wsaio_gethostbyname(const char *name);
WSAIO_EXPORT struct hostent *WSAAPI wsaio_gethostbyaddr(const char *addr, int len, int type);
/*
 * wsaio_getservbyname/wsaio_getprotobyname (getservbyname, getprotobyname) - the C
 * library's databases, per-thread results; NULL with WSANO_DATA when there is no entry,
 * WSAEFAULT for a NULL name, WSANOTINITIALISED.
 */
WSAIO_EXPORT struct servent *WSAAPI wsaio_getservbyname(const char *name, const char *proto);
WSAIO_EXPORT struct protoent *WSAAPI wsaio_getprotobyname(const char *name);

/**
 * WSAAddressToStringA - "a.b.c.d:port" or "[v6%scope]:port" (the port, brackets and scope
 * only when non-zero). A buffer too small (or NULL): WSAEFAULT, *lpdwAddressStringLength
 * set to the length needed with the NUL. WSAEINVAL for a family other than AF_INET(6),
 * WSAEFAULT for a NULL address or a length short of its family's sockaddr.
 */
WSAIO_EXPORT INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                            LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                            LPSTR lpszAddressString,
                                            LPDWORD lpdwAddressStringLength);
/**
 * WSAStringToAddressA - parses what WSAAddressToStringA writes (IPv4 also in the short
 * forms inet_addr takes) into a zeroed sockaddr_in/sockaddr_in6. WSAEINVAL for text that
 * is not an address or a family other than AF_INET(6); WSAEFAULT (with *lpAddressLength
 * set to the size needed) when the buffer is too small.
 */
WSAIO_EXPORT INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                                            LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                            LPSOCKADDR lpAddress, LPINT lpAddressLength);

#if !defined(WSAIO_BUILDING) && !defined(WSAIO_NO_POSIX_MAPPING)
#define socket      wsaio_socket
#define bind        wsaio_bind
#define listen      wsaio_listen
#define connect     wsaio_connect
#define accept      wsaio_accept
#define send        wsaio_send
#define recv        wsaio_recv
#define sendto      wsaio_sendto
#define recvfrom    wsaio_recvfrom
#define shutdown    wsaio_shutdown
#define setsockopt  wsaio_setsockopt
#define getsockopt  wsaio_getsockopt
#define getsockname wsaio_getsockname
#define getpeername wsaio_getpeername
#define select      wsaio_select
#define gethostname wsaio_gethostname
#endif

/* Name resolution: Winsock errors, h_errno included (ws2tcpip.h maps getaddrinfo...). */
#if !defined(WSAIO_BUILDING) && !defined(WSAIO_NO_POSIX_MAPPING)
#define gethostbyname  wsaio_gethostbyname
#define gethostbyaddr  wsaio_gethostbyaddr
#define getservbyname  wsaio_getservbyname
#define getprotobyname wsaio_getprotobyname
#undef h_errno
#undef HOST_NOT_FOUND
#undef TRY_AGAIN
#undef NO_RECOVERY
#undef NO_DATA
#undef NO_ADDRESS
#define h_errno        WSAGetLastError()
#define HOST_NOT_FOUND WSAHOST_NOT_FOUND
#define TRY_AGAIN      WSATRY_AGAIN
#define NO_RECOVERY    WSANO_RECOVERY
#define NO_DATA        WSANO_DATA
#define NO_ADDRESS     WSANO_ADDRESS
#endif

#ifndef UNICODE
#define WSAAddressToString WSAAddressToStringA
#define WSAStringToAddress WSAStringToAddressA
#endif

#ifdef UNICODE
#define WSASocket          WSASocketW
#define WSAPROTOCOL_INFO   WSAPROTOCOL_INFOW
#define LPWSAPROTOCOL_INFO LPWSAPROTOCOL_INFOW
#else
#define WSASocket          WSASocketA
#define WSAPROTOCOL_INFO   WSAPROTOCOL_INFOA
#define LPWSAPROTOCOL_INFO LPWSAPROTOCOL_INFOA
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WINSOCK2_H */
