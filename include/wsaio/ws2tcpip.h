/*
 * ws2tcpip.h - TCP/IP additions of Winsock 2 for Linux (wsaio).
 *
 * Address structures are the system's (<netdb.h>, <arpa/inet.h>, included by
 * <winsock2.h>); name resolution and the address/text conversions are Winsock's: they need
 * WSAStartup, return and set as last error the Winsock codes, and the EAI_* names have
 * Windows' values (those codes). As in <winsock2.h>, the POSIX names (getaddrinfo,
 * inet_pton, ...) are mapped to wsaio's functions unless WSAIO_NO_POSIX_MAPPING is
 * defined; the AI_* and NI_* flags keep Linux's values (only the names must match).
 */
#ifndef WSAIO_WS2TCPIP_H
#define WSAIO_WS2TCPIP_H

#include "winsock2.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct addrinfo ADDRINFOA, *PADDRINFOA, *LPADDRINFOA;
typedef struct sockaddr_in6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;

/* Control data of IP_PKTINFO and IPV6_PKTINFO (WSARecvMsg, WSASendMsg): the system's
 * structures under Windows' names (their fields are named as Windows names them: ipi_addr,
 * ipi_ifindex, ipi6_addr, ipi6_ifindex). Received, ipi_addr is the datagram's destination;
 * sent, it chooses the source address. */
#ifndef __USE_GNU
struct in6_pktinfo { /* glibc declares it only under _GNU_SOURCE */
    struct in6_addr ipi6_addr;
    unsigned int ipi6_ifindex;
};
#endif
typedef struct in_pktinfo IN_PKTINFO, *PIN_PKTINFO;
typedef struct in6_pktinfo IN6_PKTINFO, *PIN6_PKTINFO;

/**
 * wsaio_getaddrinfo (getaddrinfo, GetAddrInfoA) - the C library's resolver; returns 0, or
 * the Winsock error that is also the last error: WSAHOST_NOT_FOUND (EAI_NONAME),
 * WSATRY_AGAIN (EAI_AGAIN), WSANO_RECOVERY (EAI_FAIL; also hints whose ai_addrlen,
 * ai_canonname, ai_addr or ai_next is set), WSAEAFNOSUPPORT (EAI_FAMILY),
 * WSA_NOT_ENOUGH_MEMORY (EAI_MEMORY), WSATYPE_NOT_FOUND (EAI_SERVICE), WSAESOCKTNOSUPPORT
 * (EAI_SOCKTYPE), WSAEINVAL (EAI_BADFLAGS), WSANO_DATA, WSANOTINITIALISED.
 */
WSAIO_EXPORT INT WSAAPI wsaio_getaddrinfo(PCSTR pNodeName, PCSTR pServiceName,
                                          const struct addrinfo *pHints,
                                          struct addrinfo **ppResult);
/** wsaio_freeaddrinfo (freeaddrinfo, FreeAddrInfoA) - frees a result list; NULL is fine. */
WSAIO_EXPORT VOID WSAAPI wsaio_freeaddrinfo(struct addrinfo *pAddrInfo);
/**
 * wsaio_getnameinfo (getnameinfo, GetNameInfoA) - the C library's, errors as getaddrinfo's;
 * WSAEFAULT for a NULL address or a length short of its family's sockaddr, or a buffer too
 * small; WSAEAFNOSUPPORT for a family other than AF_INET(6).
 */
WSAIO_EXPORT INT WSAAPI wsaio_getnameinfo(const struct sockaddr *pSockaddr,
                                          socklen_t SockaddrLength, PCHAR pNodeBuffer,
                                          DWORD NodeBufferSize, PCHAR pServiceBuffer,
                                          DWORD ServiceBufferSize, INT Flags);
/** gai_strerrorA (gai_strerror) - the text of an EAI_* / Winsock error code. */
WSAIO_EXPORT char *WSAAPI gai_strerrorA(int ecode);
/**
 * InetPtonA (inet_pton) - 1 and the address, 0 for text that is not one; -1 with
 * WSAEFAULT (NULL string or buffer) or WSAEAFNOSUPPORT (family not AF_INET(6)).
 */
WSAIO_EXPORT INT WSAAPI InetPtonA(INT Family, PCSTR pszAddrString, PVOID pAddrBuf);
/**
 * InetNtopA (inet_ntop) - pStringBuf, or NULL with WSAEAFNOSUPPORT (family) or
 * ERROR_INVALID_PARAMETER (NULL buffer, size 0, or a buffer too small).
 */
WSAIO_EXPORT PCSTR WSAAPI InetNtopA(INT Family, const VOID *pAddr, PSTR pStringBuf,
                                    size_t StringBufSize);

#define GetAddrInfoA  wsaio_getaddrinfo
#define FreeAddrInfoA wsaio_freeaddrinfo
#define GetNameInfoA  wsaio_getnameinfo
#ifndef UNICODE
#define GetAddrInfo  GetAddrInfoA
#define FreeAddrInfo FreeAddrInfoA
#define GetNameInfo  GetNameInfoA
#define InetPton     InetPtonA
#define InetNtop     InetNtopA
#define ADDRINFO     ADDRINFOA
#define PADDRINFO    PADDRINFOA
#endif

#if !defined(WSAIO_BUILDING) && !defined(WSAIO_NO_POSIX_MAPPING)
#define getaddrinfo  wsaio_getaddrinfo
#define freeaddrinfo wsaio_freeaddrinfo
#define getnameinfo  wsaio_getnameinfo
#define gai_strerror gai_strerrorA
#define inet_pton    InetPtonA
#define inet_ntop    InetNtopA
/* What getaddrinfo/getnameinfo return: Windows' values, the Winsock codes. */
#undef EAI_AGAIN
#undef EAI_BADFLAGS
#undef EAI_FAIL
#undef EAI_FAMILY
#undef EAI_MEMORY
#undef EAI_NODATA
#undef EAI_NONAME
#undef EAI_SERVICE
#undef EAI_SOCKTYPE
#define EAI_AGAIN    WSATRY_AGAIN
#define EAI_BADFLAGS WSAEINVAL
#define EAI_FAIL     WSANO_RECOVERY
#define EAI_FAMILY   WSAEAFNOSUPPORT
#define EAI_MEMORY   WSA_NOT_ENOUGH_MEMORY
#define EAI_NODATA   WSANO_DATA
#define EAI_NONAME   WSAHOST_NOT_FOUND
#define EAI_SERVICE  WSATYPE_NOT_FOUND
#define EAI_SOCKTYPE WSAESOCKTNOSUPPORT
#endif

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_WS2TCPIP_H */
