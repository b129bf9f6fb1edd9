/*
 * netevents.h - WSAEventSelect's per-socket record of network events (api.md 4.14.3).
 *
 * Every socket has a pending record P (FD_* bits with an error code each), a selection
 * mask M and an event E. Record(b) adds b to P and sets E if b is in M; Select replaces
 * (E, M) and sets E if P and M meet; Enumerate reports P & M and removes those bits;
 * the receive, accept and send calls re-enable their bit. The user-visible record is kept
 * apart from readiness tracking (the watcher only says "something happened, look"), which
 * is what keeps FD_WRITE re-arming right (Wine loses it by mixing the two).
 *
 * Arrivals while a socket is selected come from one watcher thread with its own epoll set,
 * independent of the I/O backend. Conditions that arose before the selection (data queued,
 * a connection accepted, the peer closed, connect done) are evaluated when the selection
 * is made, which gives the same reports as a record kept from creation.
 *
 * All fields are guarded by the socket's lock.
 */
#ifndef WSAIO_CORE_NETEVENTS_H
#define WSAIO_CORE_NETEVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include <winsock2.h>

struct wsaio_socket;

struct wsaio_netevents {
    HANDLE event;     /* E: the program's, not owned; a closed one is ignored */
    uint32_t mask;    /* M */
    uint32_t pending; /* P */
    int err[FD_MAX_EVENTS];
    bool used;             /* selected at least once: keep P up to date */
    bool watched;          /* registered with the watcher's epoll set */
    bool listening;        /* listen() was called */
    bool connected;        /* a stream connection is established (connect or accept) */
    bool connecting;       /* a non-blocking connect is in progress */
    bool connect_done;     /* connect finished: FD_CONNECT (one-shot) not yet recorded */
    int connect_err;       /* its result, a WSA code */
    bool write_once;       /* FD_WRITE for "connected" / "bound" already recorded */
    bool write_blocked;    /* a send would have blocked: FD_WRITE when space frees */
    bool close_recorded;   /* FD_CLOSE is one-shot */
    uint64_t connected_ms; /* GetTickCount64() when first seen connected, 0: not seen */
};

/* WSAEventSelect on sk (slot reference held). 0 or a WSA error. */
int wsaio_ne_select(struct wsaio_socket *sk, HANDLE event, uint32_t mask);

/* WSAEnumNetworkEvents on sk: copy P & M, clear them, reset event (NULL: none). */
void wsaio_ne_enumerate(struct wsaio_socket *sk, HANDLE event, WSANETWORKEVENTS *out);

/* True while a non-zero mask is selected (FIONBIO 0 is refused then). */
bool wsaio_ne_selected(struct wsaio_socket *sk);

/* Hooks of the socket calls, each after the call did its work (none takes sk->lock). */
void wsaio_ne_after_recv(struct wsaio_socket *sk, bool oob); /* re-enable FD_READ / FD_OOB */
void wsaio_ne_after_accept(struct wsaio_socket *listener, struct wsaio_socket *accepted);
void wsaio_ne_send_blocked(struct wsaio_socket *sk); /* a send saw WSAEWOULDBLOCK */
void wsaio_ne_listening(struct wsaio_socket *sk);
void wsaio_ne_connect(struct wsaio_socket *sk, int wsa_err); /* 0, WSAEWOULDBLOCK or error */
void wsaio_ne_bound(struct wsaio_socket *sk);                /* a datagram socket got bound */

/* ConnectEx finished (sk->lock held): FD_CONNECT with wsa_err, FD_WRITE on success. */
void wsaio_ne_connected_locked(struct wsaio_socket *sk, int wsa_err);

/* DisconnectEx(TF_REUSE_SOCKET) (sk->lock held): before the kernel socket is replaced,
 * its watcher registration goes and the connection's state is forgotten (renew.h). */
void wsaio_ne_forget_connection(struct wsaio_socket *sk);

/* After the replacement (sk->lock held): a socket that was selected is watched again. */
void wsaio_ne_rewatch(struct wsaio_socket *sk);

/* SO_CONNECT_TIME: seconds since sk was seen connected, 0xFFFFFFFF when it is not. */
DWORD wsaio_ne_connect_time(struct wsaio_socket *sk);

/* Record(bit, err) from outside (address and routing change requests). */
void wsaio_ne_record(struct wsaio_socket *sk, int bit, int err);

/* closesocket: the selection goes, the event is left alone (api.md 4.4 rule 5). */
void wsaio_ne_close(struct wsaio_socket *sk);

/* Fork child (fork.c): the watcher is gone; a selection is watched again after the
 * child's next WSAEventSelect on the socket. */
void wsaio_netevents_fork_child(void);

#endif /* WSAIO_CORE_NETEVENTS_H */
