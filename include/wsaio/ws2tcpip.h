/*
 * ws2tcpip.h - TCP/IP additions of Winsock 2 for Linux (wsaio).
 *
 * Address structures, getaddrinfo and inet_pton/inet_ntop are the system's (<netdb.h>,
 * <arpa/inet.h>), already included by <winsock2.h>; this header adds the Windows names.
 */
#ifndef WSAIO_WS2TCPIP_H
#define WSAIO_WS2TCPIP_H

#include "winsock2.h"

typedef struct addrinfo ADDRINFOA, *PADDRINFOA;
typedef struct sockaddr_in6 SOCKADDR_IN6_LH, *PSOCKADDR_IN6_LH;

#define InetPtonA inet_pton
#define InetNtopA inet_ntop
#ifndef UNICODE
#define InetPton InetPtonA
#define InetNtop InetNtopA
#endif

#endif /* WSAIO_WS2TCPIP_H */
