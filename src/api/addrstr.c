/*
 * addrstr.c - addresses to strings and back, with Windows' conventions: InetPtonA
 * (inet_pton), InetNtopA (inet_ntop), WSAAddressToStringA, WSAStringToAddressA.
 *
 * The text forms are the C library's (inet_pton/inet_ntop); the wrapping is Windows':
 * "a.b.c.d:port", "[v6%scope]:port" (the port only when non-zero), errors as WSA codes in
 * the last-error slot, and a buffer too small answered with WSAEFAULT and the length
 * needed (with its terminating NUL).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"

/* "[" v6 "%" scope "]:" port NUL, with room to spare. */
#define TEXT_MAX (INET6_ADDRSTRLEN + 32)

WSAIO_EXPORT INT WSAAPI InetPtonA(INT Family, PCSTR pszAddrString, PVOID pAddrBuf)
{
    if (!pszAddrString || !pAddrBuf) {
        wsaio_set_error(WSAEFAULT);
        return -1;
    }
    if (Family != AF_INET && Family != AF_INET6) {
        wsaio_set_error(WSAEAFNOSUPPORT);
        return -1;
    }
    return inet_pton(Family, pszAddrString, pAddrBuf) == 1 ? 1 : 0;
}

WSAIO_EXPORT PCSTR WSAAPI InetNtopA(INT Family, const VOID *pAddr, PSTR pStringBuf,
                                    size_t StringBufSize)
{
    if (Family != AF_INET && Family != AF_INET6) {
        wsaio_set_error(WSAEAFNOSUPPORT);
        return NULL;
    }
    if (!pAddr || !pStringBuf || StringBufSize == 0 ||
        !inet_ntop(Family, pAddr, pStringBuf,
                   (socklen_t)(StringBufSize > INT_MAX ? INT_MAX : StringBufSize))) {
        wsaio_set_error(ERROR_INVALID_PARAMETER); /* also for a buffer too small (Microsoft) */
        return NULL;
    }
    return pStringBuf;
}

/* Writes the Windows text of an IPv4/IPv6 socket address into out[TEXT_MAX]; 0, WSAEFAULT
 * (length short of the family's sockaddr) or WSAEINVAL (another family). */
static int format_address(const struct sockaddr *sa, DWORD len, char *out)
{
    char ip[INET6_ADDRSTRLEN];

    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

        if (len < sizeof(*sin))
            return WSAEFAULT;
        inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
        if (sin->sin_port)
            snprintf(out, TEXT_MAX, "%s:%u", ip, ntohs(sin->sin_port));
        else
            snprintf(out, TEXT_MAX, "%s", ip);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
        char scoped[INET6_ADDRSTRLEN + 12]; /* "%" and a 32-bit scope */

        if (len < sizeof(*sin6))
            return WSAEFAULT;
        inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof(ip));
        if (sin6->sin6_scope_id)
            snprintf(scoped, sizeof(scoped), "%s%%%u", ip, (unsigned)sin6->sin6_scope_id);
        else
            snprintf(scoped, sizeof(scoped), "%s", ip);
        if (sin6->sin6_port)
            snprintf(out, TEXT_MAX, "[%s]:%u", scoped, ntohs(sin6->sin6_port));
        else
            snprintf(out, TEXT_MAX, "%s", scoped);
        return 0;
    }
    return WSAEINVAL;
}

WSAIO_EXPORT INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                                            LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                            LPSTR lpszAddressString,
                                            LPDWORD lpdwAddressStringLength)
{
    char text[TEXT_MAX];
    DWORD need;
    int err;

    (void)lpProtocolInfo;
    if (!lpsaAddress || !lpdwAddressStringLength)
        return wsaio_fail(WSAEFAULT);
    if (dwAddressLength < sizeof(lpsaAddress->sa_family))
        return wsaio_fail(WSAEFAULT);
    if ((err = format_address(lpsaAddress, dwAddressLength, text)) != 0)
        return wsaio_fail((DWORD)err);
    need = (DWORD)strlen(text) + 1;
    if (!lpszAddressString || *lpdwAddressStringLength < need) {
        *lpdwAddressStringLength = need;
        return wsaio_fail(WSAEFAULT);
    }
    memcpy(lpszAddressString, text, need);
    *lpdwAddressStringLength = need;
    return 0;
}

/* A decimal port 0..65535 filling all of s; -1 otherwise. */
static long parse_port(const char *s)
{
    char *end;
    long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    return (*end || errno || v > 65535) ? -1 : v;
}

/* "v6", "v6%scope", "[v6]", "[v6%scope]" or "[...]:port" into sin6; 0 or WSAEINVAL. */
static int parse_v6(const char *s, struct sockaddr_in6 *sin6)
{
    char ip[INET6_ADDRSTRLEN + 16];
    const char *close = NULL, *pct;
    size_t n;
    long port = 0;

    if (*s == '[') {
        if (!(close = strchr(s, ']')))
            return WSAEINVAL;
        if (close[1] == ':') {
            if ((port = parse_port(close + 2)) < 0)
                return WSAEINVAL;
        } else if (close[1]) {
            return WSAEINVAL;
        }
        s++;
        n = (size_t)(close - s);
    } else {
        n = strlen(s);
    }
    if (n >= sizeof(ip))
        return WSAEINVAL;
    memcpy(ip, s, n);
    ip[n] = 0;
    if ((pct = strchr(ip, '%'))) { /* a numeric scope id, as Windows writes it */
        char *end;
        unsigned long scope;

        if (pct[1] < '0' || pct[1] > '9')
            return WSAEINVAL;
        errno = 0;
        scope = strtoul(pct + 1, &end, 10);
        if (*end || errno || scope > UINT32_MAX)
            return WSAEINVAL;
        sin6->sin6_scope_id = (uint32_t)scope;
        ip[pct - ip] = 0;
    }
    if (inet_pton(AF_INET6, ip, &sin6->sin6_addr) != 1)
        return WSAEINVAL;
    sin6->sin6_port = htons((uint16_t)port);
    return 0;
}

/* "a.b.c.d" or "a.b.c.d:port" into sin; 0 or WSAEINVAL. */
static int parse_v4(const char *s, struct sockaddr_in *sin)
{
    char ip[INET_ADDRSTRLEN];
    const char *colon = strchr(s, ':');
    size_t n = colon ? (size_t)(colon - s) : strlen(s);
    long port = 0;

    if (n >= sizeof(ip))
        return WSAEINVAL;
    memcpy(ip, s, n);
    ip[n] = 0;
    if (colon && (port = parse_port(colon + 1)) < 0)
        return WSAEINVAL;
    if (inet_aton(ip, &sin->sin_addr) == 0) /* not strict: "127.1" too, as on Windows */
        return WSAEINVAL;
    sin->sin_port = htons((uint16_t)port);
    return 0;
}

WSAIO_EXPORT INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily,
                                            LPWSAPROTOCOL_INFOA lpProtocolInfo,
                                            LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    struct sockaddr_storage ss;
    int need, err;

    (void)lpProtocolInfo;
    if (!AddressString || !lpAddress || !lpAddressLength)
        return wsaio_fail(WSAEFAULT);
    if (AddressFamily != AF_INET && AddressFamily != AF_INET6)
        return wsaio_fail(WSAEINVAL);
    need = AddressFamily == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
                                     : (int)sizeof(struct sockaddr_in);
    if (*lpAddressLength < need) {
        *lpAddressLength = need;
        return wsaio_fail(WSAEFAULT);
    }
    memset(&ss, 0, sizeof(ss));
    ss.ss_family = (sa_family_t)AddressFamily;
    err = AddressFamily == AF_INET6 ? parse_v6(AddressString, (struct sockaddr_in6 *)&ss)
                                    : parse_v4(AddressString, (struct sockaddr_in *)&ss);
    if (err)
        return wsaio_fail((DWORD)err);
    memcpy(lpAddress, &ss, (size_t)need);
    *lpAddressLength = need;
    return 0;
}
