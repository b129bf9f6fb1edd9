/*
 * extension.c - the extension functions by GUID (extension.h). Each is also exported by
 * name (include/wsaio/mswsock.h, winsock2.h), but WSARecvMsg, as on Windows.
 */
#include "api/extension.h"

#include <string.h>

#include <mswsock.h>

#include "base/userptr.h"

struct extension {
    GUID id;
    void (*fn)(void);
};

static const struct extension extensions[] = {
    {WSAID_CONNECTEX, (void (*)(void))ConnectEx},
    {WSAID_DISCONNECTEX, (void (*)(void))DisconnectEx},
    {WSAID_ACCEPTEX, (void (*)(void))AcceptEx},
    {WSAID_GETACCEPTEXSOCKADDRS, (void (*)(void))GetAcceptExSockaddrs},
    {WSAID_TRANSMITFILE, (void (*)(void))TransmitFile},
    {WSAID_TRANSMITPACKETS, (void (*)(void))TransmitPackets},
    {WSAID_WSARECVMSG, (void (*)(void))wsaio_wsarecvmsg},
    {WSAID_WSASENDMSG, (void (*)(void))WSASendMsg},
};

int wsaio_ioctl_extension(const void *in, DWORD inlen, void *out, DWORD outlen, DWORD *written)
{
    GUID id;

    if (wsaio_bad_ptr(in) || inlen < sizeof(GUID))
        return WSAEFAULT;
    memcpy(&id, in, sizeof(id));
    for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
        if (memcmp(&extensions[i].id, &id, sizeof(id)) != 0)
            continue;
        if (wsaio_bad_ptr(out) || outlen < sizeof(extensions[i].fn))
            return WSAEFAULT;
        memcpy(out, &extensions[i].fn, sizeof(extensions[i].fn));
        *written = sizeof(extensions[i].fn);
        return 0;
    }
    return WSAEINVAL;
}
