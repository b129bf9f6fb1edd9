/*
 * ioctl_net.c - the address-list and routing-interface codes of WSAIoctl (api.md 4.10.7
 * to 4.10.10): the two queries, and the two change requests that complete at the next
 * change (core/netchange.c).
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include "api/ioctl_net.h"
#include "core/netchange.h"
#include "core/nonblock.h"
#include "base/resources.h"
#include "base/userptr.h"
#include "sync/event.h"

static socklen_t addr_len(int family)
{
    return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* The addresses SIO_ADDRESS_LIST_QUERY lists: the socket's family, interface up, not the
 * loopback interface. */
static bool listed(const struct ifaddrs *ifa, int family)
{
    return ifa->ifa_addr && ifa->ifa_addr->sa_family == family && (ifa->ifa_flags & IFF_UP) &&
           !(ifa->ifa_flags & IFF_LOOPBACK);
}

int wsaio_ioctl_address_list(struct wsaio_socket *sk, void *out, DWORD outlen, DWORD *written,
                             bool *report)
{
    struct ifaddrs *all, *ifa;
    size_t n = 0, need;
    int rc;
    SOCKET_ADDRESS_LIST *list = out;
    char *addrs;

    /* glibc reads the list over a netlink socket of its own: no adoption may take it
     * meanwhile (resources.h). */
    wsaio_resources_lock();
    rc = getifaddrs(&all) != 0 ? errno : 0;
    wsaio_resources_unlock();
    if (rc)
        return wsaio_errno_to_wsa(rc);
    for (ifa = all; ifa; ifa = ifa->ifa_next)
        n += listed(ifa, sk->af);
    need =
        offsetof(SOCKET_ADDRESS_LIST, Address) + n * sizeof(SOCKET_ADDRESS) + n * addr_len(sk->af);
    *report = true;
    *written = (DWORD)need;
    if (wsaio_bad_ptr(out) || outlen == 0) { /* the caller asks for the size */
        freeifaddrs(all);
        return WSAEFAULT;
    }
    if (outlen < sizeof(INT)) { /* cannot even hold the count */
        *written = 0;
        freeifaddrs(all);
        return WSAEINVAL;
    }
    if (outlen < need) { /* buffer untouched */
        freeifaddrs(all);
        return WSAEFAULT;
    }
    /* The list, then the addresses it points to, packed after the array. */
    list->iAddressCount = (INT)n;
    addrs = (char *)&list->Address[n];
    n = 0;
    for (ifa = all; ifa; ifa = ifa->ifa_next) {
        if (!listed(ifa, sk->af))
            continue;
        memcpy(addrs, ifa->ifa_addr, addr_len(sk->af));
        list->Address[n].lpSockaddr = (LPSOCKADDR)addrs;
        list->Address[n].iSockaddrLength = (INT)addr_len(sk->af);
        addrs += addr_len(sk->af);
        n++;
    }
    freeifaddrs(all);
    return 0;
}

/* Destination checks shared by the routing query and change (api.md 4.10.9). */
static int check_dest(struct wsaio_socket *sk, const void *in, DWORD inlen, bool wildcard_ok)
{
    const struct sockaddr *sa = in;

    if (wsaio_bad_ptr(in) || inlen < sizeof(sa_family_t) || inlen < addr_len(sa->sa_family))
        return WSAEINVAL;
    if (sa->sa_family == AF_UNSPEC || sa->sa_family != sk->af)
        return WSAEAFNOSUPPORT;
    if (!wildcard_ok && ((sa->sa_family == AF_INET &&
                          ((const struct sockaddr_in *)in)->sin_addr.s_addr == htonl(INADDR_ANY)) ||
                         (sa->sa_family == AF_INET6 &&
                          IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)in)->sin6_addr))))
        return WSAEINVAL;
    return 0;
}

int wsaio_ioctl_routing_query(struct wsaio_socket *sk, const void *in, DWORD inlen, void *out,
                              DWORD outlen, DWORD *written, bool *report)
{
    struct sockaddr_storage dest, local;
    socklen_t len = sizeof(local), size = addr_len(sk->af);
    int err = check_dest(sk, in, inlen, false), fd, rc;

    if (err)
        return err;
    if (wsaio_bad_ptr(out))
        return WSAEFAULT;
    if (outlen < size) {
        *report = true;
        *written = size;
        return WSAEFAULT;
    }
    /* The kernel's own route lookup: connect a datagram socket, read its local address. */
    memcpy(&dest, in, size);
    if (((struct sockaddr_in *)&dest)->sin_port == 0)
        ((struct sockaddr_in *)&dest)->sin_port = htons(9);
    /* The socket is wsaio's own while it lives: under the resources lock no adoption
     * (another thread's stale SOCKET value) can take it. */
    wsaio_resources_lock();
    fd = socket(sk->af, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    rc = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&dest, size);
    if (rc == 0)
        rc = getsockname(fd, (struct sockaddr *)&local, &len);
    err = rc ? wsaio_errno_to_wsa(errno) : 0;
    if (fd >= 0)
        close(fd);
    wsaio_resources_unlock();
    if (err)
        return err;
    ((struct sockaddr_in *)&local)->sin_port = 0;
    memcpy(out, &local, size);
    *written = size;
    return 0;
}

int wsaio_ioctl_change(struct wsaio_socket *sk, DWORD code, const void *in, DWORD inlen,
                       LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                       LPDWORD returned)
{
    enum wsaio_change what =
        code == SIO_ADDRESS_LIST_CHANGE ? WSAIO_CHANGE_ADDRESS : WSAIO_CHANGE_ROUTE;
    int err = 0;

    /* A routing request names a destination; the wildcard means "any change". */
    if (what == WSAIO_CHANGE_ROUTE && (err = check_dest(sk, in, inlen, true)))
        return wsaio_fail((DWORD)err);
    if (ov) {
        struct wsaio_op *op = wsaio_io_op(sk, WSAIO_OP_CHANGE, false, NULL, 0, ov, routine, &err);
        ULONG_PTR internal = ov->Internal, internal_high = ov->InternalHigh;

        if (!op)
            return wsaio_fail((DWORD)err);
        wsaio_engine_arm(op);
        err = wsaio_netchange_queue_op(op, what);
        if (err) {
            /* Outcome (c): the OVERLAPPED as the program gave it (api.md 1.3). */
            ov->Internal = internal;
            ov->InternalHigh = internal_high;
            wsaio_op_free(op);
            return wsaio_fail((DWORD)err);
        }
        return wsaio_fail(WSA_IO_PENDING);
    }
    if (wsaio_nonblock_mode(sk)) {
        /* Non-blocking: WSAEWOULDBLOCK now, the FD_* event at the next change. */
        err = wsaio_netchange_arm_record(sk, what);
        return wsaio_fail(err ? (DWORD)err : WSAEWOULDBLOCK);
    }
    err = wsaio_netchange_wait(sk, what);
    if (err)
        return wsaio_fail((DWORD)err);
    *returned = 0;
    wsaio_set_error(0);
    return 0;
}
