/*
 * system_messages.c - the message texts Windows' system message table holds for every
 * Winsock code and the Win32 codes socket programs meet (English, as FormatMessage gives
 * them for LANG_NEUTRAL on an English system). Sorted by code for a binary search.
 */
#include <stdlib.h>

#include "win32/system_messages.h"

struct message {
    DWORD code;
    const char *text;
};

static const struct message table[] = {
    {0, "The operation completed successfully."},
    {1, "Incorrect function."},
    {2, "The system cannot find the file specified."},
    {3, "The system cannot find the path specified."},
    {4, "The system cannot open the file."},
    {5, "Access is denied."},
    {6, "The handle is invalid."},
    {8, "Not enough memory resources are available to process this command."},
    {12, "The access code is invalid."},
    {13, "The data is invalid."},
    {14, "Not enough memory resources are available to complete this operation."},
    {21, "The device is not ready."},
    {24, "The program issued a command but the command length is incorrect."},
    {31, "A device attached to the system is not functioning."},
    {32, "The process cannot access the file because it is being used by another process."},
    {38, "Reached the end of the file."},
    {50, "The request is not supported."},
    {54, "The network is busy."},
    {64, "The specified network name is no longer available."},
    {80, "The file exists."},
    {87, "The parameter is incorrect."},
    {109, "The pipe has been ended."},
    {120, "This function is not supported on this system."},
    {121, "The semaphore timeout period has expired."},
    {122, "The data area passed to a system call is too small."},
    {123, "The filename, directory name, or volume label syntax is incorrect."},
    {126, "The specified module could not be found."},
    {127, "The specified procedure could not be found."},
    {158, "The segment is already unlocked."},
    {170, "The requested resource is in use."},
    {183, "Cannot create a file when that file already exists."},
    {232, "The pipe is being closed."},
    {233, "No process is on the other end of the pipe."},
    {234, "More data is available."},
    {258, "The wait operation timed out."},
    {259, "No more data is available."},
    {288, "Attempt to release mutex not owned by caller."},
    {298, "Too many posts were made to a semaphore."},
    {317, "The system cannot find message text for message number 0x%1 in the message file for "
          "%2."},
    {534, "Arithmetic result exceeded 32 bits."},
    {995, "The I/O operation has been aborted because of either a thread exit or an application "
          "request."},
    {996, "Overlapped I/O event is not in a signaled state."},
    {997, "Overlapped I/O operation is in progress."},
    {998, "Invalid access to memory location."},
    {1004, "Invalid flags."},
    {1168, "Element not found."},
    {1225, "The remote computer refused the network connection."},
    {1226, "The network connection was gracefully closed."},
    {1229, "An operation was attempted on a nonexistent network connection."},
    {1230, "An invalid operation was attempted on an active network connection."},
    {1231, "The network location cannot be reached. For information about network "
           "troubleshooting, see Windows Help."},
    {1232, "The network location cannot be reached. For information about network "
           "troubleshooting, see Windows Help."},
    {1234, "No service is operating at the destination network endpoint on the remote system."},
    {1235, "The request was aborted."},
    {1236, "The network connection was aborted by the local system."},
    {1460, "This operation returned because the timeout period expired."},
    {1784, "The supplied user buffer is not valid for the requested operation."},
    {1813, "The specified resource type cannot be found in the image file."},
    {1815, "The specified resource language ID cannot be found in the image file."},
    {1816, "Not enough quota is available to process this command."},
    {10004, "A blocking operation was interrupted by a call to WSACancelBlockingCall."},
    {10009, "The file handle supplied is not valid."},
    {10013, "An attempt was made to access a socket in a way forbidden by its access permissions."},
    {10014, "The system detected an invalid pointer address in attempting to use a pointer "
            "argument in a call."},
    {10022, "An invalid argument was supplied."},
    {10024, "Too many open sockets."},
    {10035, "A non-blocking socket operation could not be completed immediately."},
    {10036, "A blocking operation is currently executing."},
    {10037, "An operation was attempted on a non-blocking socket that already had an operation "
            "in progress."},
    {10038, "An operation was attempted on something that is not a socket."},
    {10039, "A required address was omitted from an operation on a socket."},
    {10040, "A message sent on a datagram socket was larger than the internal message buffer or "
            "some other network limit, or the buffer used to receive a datagram into was smaller "
            "than the datagram itself."},
    {10041, "A protocol was specified in the socket function call that does not support the "
            "semantics of the socket type requested."},
    {10042, "An unknown, invalid, or unsupported option or level was specified in a getsockopt "
            "or setsockopt call."},
    {10043, "The requested protocol has not been configured into the system, or no "
            "implementation for it exists."},
    {10044, "The support for the specified socket type does not exist in this address family."},
    {10045, "The attempted operation is not supported for the type of object referenced."},
    {10046, "The protocol family has not been configured into the system or no implementation "
            "for it exists."},
    {10047, "An address incompatible with the requested protocol was used."},
    {10048, "Only one usage of each socket address (protocol/network address/port) is normally "
            "permitted."},
    {10049, "The requested address is not valid in its context."},
    {10050, "A socket operation encountered a dead network."},
    {10051, "A socket operation was attempted to an unreachable network."},
    {10052, "The connection has been broken due to keep-alive activity detecting a failure while "
            "the operation was in progress."},
    {10053, "An established connection was aborted by the software in your host machine."},
    {10054, "An existing connection was forcibly closed by the remote host."},
    {10055, "An operation on a socket could not be performed because the system lacked "
            "sufficient buffer space or because a queue was full."},
    {10056, "A connect request was made on an already connected socket."},
    {10057, "A request to send or receive data was disallowed because the socket is not "
            "connected and (when sending on a datagram socket using a sendto call) no address "
            "was supplied."},
    {10058, "A request to send or receive data was disallowed because the socket had already "
            "been shut down in that direction with a previous shutdown call."},
    {10059, "Too many references to some kernel object."},
    {10060, "A connection attempt failed because the connected party did not properly respond "
            "after a period of time, or established connection failed because connected host "
            "has failed to respond."},
    {10061, "No connection could be made because the target machine actively refused it."},
    {10062, "Cannot translate name."},
    {10063, "Name component or name was too long."},
    {10064, "A socket operation failed because the destination host was down."},
    {10065, "A socket operation was attempted to an unreachable host."},
    {10066, "Cannot remove a directory that is not empty."},
    {10067, "A Windows Sockets implementation may have a limit on the number of applications "
            "that may use it simultaneously."},
    {10068, "Ran out of quota."},
    {10069, "Ran out of disk quota."},
    {10070, "File handle reference is no longer available."},
    {10071, "Item is not available locally."},
    {10091, "WSAStartup cannot function at this time because the underlying system it uses to "
            "provide network services is currently unavailable."},
    {10092, "The Windows Sockets version requested is not supported."},
    {10093, "Either the application has not called WSAStartup, or WSAStartup failed."},
    {10101, "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a "
            "graceful shutdown sequence."},
    {10102, "No more results can be returned by WSALookupServiceNext."},
    {10103, "A call to WSALookupServiceEnd was made while this call was still processing. The "
            "call has been canceled."},
    {10104, "The procedure call table is invalid."},
    {10105, "The requested service provider is invalid."},
    {10106, "The requested service provider could not be loaded or initialized."},
    {10107, "A system call that should never fail has failed."},
    {10108, "No such service is known. The service cannot be found in the specified name space."},
    {10109, "The specified class was not found."},
    {10110, "No more results can be returned by WSALookupServiceNext."},
    {10111, "A call to WSALookupServiceEnd was made while this call was still processing. The "
            "call has been canceled."},
    {10112, "A database query failed because it was actively refused."},
    {11001, "No such host is known."},
    {11002, "This is usually a temporary error during hostname resolution and means that the "
            "local server did not receive a response from an authoritative server."},
    {11003, "A non-recoverable error occurred during a database lookup."},
    {11004, "The requested name is valid, but no data of the requested type was found."},
    {11005, "At least one reserve has arrived."},
    {11006, "At least one path has arrived."},
    {11007, "There are no senders."},
    {11008, "There are no receivers."},
    {11009, "Reserve has been confirmed."},
    {11010, "Error due to lack of resources."},
    {11011, "Rejected for administrative reasons - bad credentials."},
    {11012, "Unknown or conflicting style."},
    {11013, "Problem with some part of the filterspec or providerspecific buffer in general."},
    {11014, "Problem with some part of the flowspec."},
    {11015, "General QOS error."},
    {11016, "An invalid or unrecognized service type was found in the flowspec."},
    {11017, "An invalid or inconsistent flowspec was found in the QOS structure."},
    {11018, "Invalid QOS provider-specific buffer."},
    {11019, "An invalid QOS filter style was used."},
    {11020, "An invalid QOS filter type was used."},
    {11021, "An incorrect number of QOS FILTERSPECs were specified in the FLOWDESCRIPTOR."},
    {11022, "An object with an invalid ObjectLength field was specified in the QOS "
            "provider-specific buffer."},
    {11023, "An incorrect number of flow descriptors was specified in the QOS structure."},
    {11024, "An unrecognized object was found in the QOS provider-specific buffer."},
    {11025, "An invalid policy object was found in the QOS provider-specific buffer."},
    {11026, "An invalid QOS flow descriptor was found in the flow descriptor list."},
    {11027, "An invalid or inconsistent flowspec was found in the QOS provider specific buffer."},
    {11028, "An invalid FILTERSPEC was found in the QOS provider-specific buffer."},
    {11029, "An invalid shape discard mode object was found in the QOS provider specific buffer."},
    {11030, "An invalid shaping rate object was found in the QOS provider-specific buffer."},
    {11031, "A reserved policy element was found in the QOS provider-specific buffer."},
};

static int by_code(const void *key, const void *elem)
{
    DWORD k = *(const DWORD *)key, c = ((const struct message *)elem)->code;

    return k < c ? -1 : k > c;
}

const char *wsaio_system_message(DWORD code)
{
    const struct message *m =
        bsearch(&code, table, sizeof(table) / sizeof(table[0]), sizeof(table[0]), by_code);

    return m ? m->text : NULL;
}
