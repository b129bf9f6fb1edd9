/*
 * wsaio_features.h - glibc's feature set for Winsock programs. They use POSIX and BSD names
 * (getaddrinfo, struct addrinfo, u_short, strdup) that glibc hides in strict ISO C
 * (-std=c11); Windows' headers declare theirs whatever the standard. This asks glibc for
 * them unless the program chose its own feature set. <windows.h> and <winsock2.h> include
 * it before anything else; it works when one of them comes before every system header.
 */
#ifndef WSAIO_WSAIO_FEATURES_H
#define WSAIO_WSAIO_FEATURES_H

#if !defined(_DEFAULT_SOURCE) && !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE) &&             \
    !defined(_XOPEN_SOURCE) && !defined(_BSD_SOURCE) && !defined(_SVID_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#endif /* WSAIO_WSAIO_FEATURES_H */
