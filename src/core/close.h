/*
 * close.h - closesocket and WSACleanup's closing of every socket (api.md 4.4, 4.1).
 */
#ifndef WSAIO_CORE_CLOSE_H
#define WSAIO_CORE_CLOSE_H

struct wsaio_socket;

/* closesocket: no new call can find sk; its WSAEventSelect selection goes, its pending
 * operations and address-change requests are aborted (each delivered once with
 * STATUS_CANCELLED, or silently when sk->abortive, as WSACleanup wants), calls blocked on
 * it in other threads are woken, and the descriptor closes once the calls in progress
 * return. The caller's slot reference is consumed. Returns 0 or -EBADF (closed meanwhile). */
int wsaio_close_socket(struct wsaio_socket *sk);

/* WSACleanup: closes every registered socket abortively; their pending operations end
 * without any completion indication (api.md 4.1). */
void wsaio_close_all(void);

#endif /* WSAIO_CORE_CLOSE_H */
