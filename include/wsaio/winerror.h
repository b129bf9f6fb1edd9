/*
 * winerror.h - Win32 error codes, Winsock error codes and the NTSTATUS values that
 * wsaio keeps in OVERLAPPED.Internal. Values are Windows' own (spec/constants.md 3 and 9).
 */
#ifndef WSAIO_WINERROR_H
#define WSAIO_WINERROR_H

/* Win32 error codes (GetLastError, completion-port functions). */
#define ERROR_SUCCESS                    0
#define NO_ERROR                         0
#define ERROR_INVALID_FUNCTION           1
#define ERROR_INVALID_HANDLE             6
#define ERROR_NOT_ENOUGH_MEMORY          8
#define ERROR_NOT_SUPPORTED              50
#define ERROR_NETNAME_DELETED            64
#define ERROR_INVALID_PARAMETER          87
#define ERROR_SEM_TIMEOUT                121
#define ERROR_INSUFFICIENT_BUFFER        122
#define ERROR_PIPE_NOT_CONNECTED         233
#define ERROR_MORE_DATA                  234
#define WAIT_TIMEOUT                     258
#define ERROR_ABANDONED_WAIT_0           735
#define ERROR_OPERATION_ABORTED          995
#define ERROR_IO_INCOMPLETE              996
#define ERROR_IO_PENDING                 997
#define ERROR_NOACCESS                   998
#define ERROR_NOT_FOUND                  1168
#define ERROR_CONNECTION_REFUSED         1225
#define ERROR_GRACEFUL_DISCONNECT        1226
#define ERROR_CONNECTION_INVALID         1229
#define ERROR_CONNECTION_ACTIVE          1230
#define ERROR_NETWORK_UNREACHABLE        1231
#define ERROR_HOST_UNREACHABLE           1232
#define ERROR_PORT_UNREACHABLE           1234
#define ERROR_REQUEST_ABORTED            1235
#define ERROR_CONNECTION_ABORTED         1236
#define ERROR_ACCESS_DENIED              5
#define ERROR_TOO_MANY_OPEN_FILES        4
#define ERROR_NOT_READY                  21
#define ERROR_GEN_FAILURE                31
#define ERROR_NETWORK_BUSY               54
#define ERROR_ALREADY_EXISTS             183
#define ERROR_INVALID_FLAGS              1004
#define ERROR_TIMEOUT                    1460
#define ERROR_NOT_OWNER                  288
#define ERROR_CALL_NOT_IMPLEMENTED       120

/* Winsock error codes (WSAGetLastError). */
#define WSABASEERR                       10000
#define WSAEINTR                         10004
#define WSAEBADF                         10009
#define WSAEACCES                        10013
#define WSAEFAULT                        10014
#define WSAEINVAL                        10022
#define WSAEMFILE                        10024
#define WSAEWOULDBLOCK                   10035
#define WSAEINPROGRESS                   10036
#define WSAEALREADY                      10037
#define WSAENOTSOCK                      10038
#define WSAEDESTADDRREQ                  10039
#define WSAEMSGSIZE                      10040
#define WSAEPROTOTYPE                    10041
#define WSAENOPROTOOPT                   10042
#define WSAEPROTONOSUPPORT               10043
#define WSAESOCKTNOSUPPORT               10044
#define WSAEOPNOTSUPP                    10045
#define WSAEPFNOSUPPORT                  10046
#define WSAEAFNOSUPPORT                  10047
#define WSAEADDRINUSE                    10048
#define WSAEADDRNOTAVAIL                 10049
#define WSAENETDOWN                      10050
#define WSAENETUNREACH                   10051
#define WSAENETRESET                     10052
#define WSAECONNABORTED                  10053
#define WSAECONNRESET                    10054
#define WSAENOBUFS                       10055
#define WSAEISCONN                       10056
#define WSAENOTCONN                      10057
#define WSAESHUTDOWN                     10058
#define WSAETOOMANYREFS                  10059
#define WSAETIMEDOUT                     10060
#define WSAECONNREFUSED                  10061
#define WSAELOOP                         10062
#define WSAENAMETOOLONG                  10063
#define WSAEHOSTDOWN                     10064
#define WSAEHOSTUNREACH                  10065
#define WSAENOTEMPTY                     10066
#define WSAEPROCLIM                      10067
#define WSAEUSERS                        10068
#define WSAEDQUOT                        10069
#define WSAESTALE                        10070
#define WSAEREMOTE                       10071
#define WSASYSNOTREADY                   10091
#define WSAVERNOTSUPPORTED               10092
#define WSANOTINITIALISED                10093
#define WSAEDISCON                       10101
#define WSAENOMORE                       10102
#define WSAECANCELLED                    10103
#define WSAEINVALIDPROCTABLE             10104
#define WSAEINVALIDPROVIDER              10105
#define WSAEPROVIDERFAILEDINIT           10106
#define WSASYSCALLFAILURE                10107
#define WSASERVICE_NOT_FOUND             10108
#define WSATYPE_NOT_FOUND                10109
#define WSA_E_NO_MORE                    10110
#define WSA_E_CANCELLED                  10111
#define WSAEREFUSED                      10112
#define WSAHOST_NOT_FOUND                11001
#define WSATRY_AGAIN                     11002
#define WSANO_RECOVERY                   11003
#define WSANO_DATA                       11004
#define WSANO_ADDRESS                    11004

/* WSA_* aliases of Win32 codes. */
#define WSA_INVALID_HANDLE               ERROR_INVALID_HANDLE
#define WSA_NOT_ENOUGH_MEMORY            ERROR_NOT_ENOUGH_MEMORY
#define WSA_INVALID_PARAMETER            ERROR_INVALID_PARAMETER
#define WSA_OPERATION_ABORTED            ERROR_OPERATION_ABORTED
#define WSA_IO_INCOMPLETE                ERROR_IO_INCOMPLETE
#define WSA_IO_PENDING                   ERROR_IO_PENDING

/* NTSTATUS values (OVERLAPPED.Internal). */
#define STATUS_WAIT_0                    ((NTSTATUS)0x00000000)
#define STATUS_ABANDONED_WAIT_0          ((NTSTATUS)0x00000080)
#define STATUS_USER_APC                  ((NTSTATUS)0x000000C0)
#define STATUS_TIMEOUT                   ((NTSTATUS)0x00000102)
#define STATUS_SUCCESS                   ((NTSTATUS)0x00000000)
#define STATUS_PENDING                   ((NTSTATUS)0x00000103)
#define STATUS_BUFFER_OVERFLOW           ((NTSTATUS)0x80000005)
#define STATUS_ACCESS_VIOLATION          ((NTSTATUS)0xC0000005)
#define STATUS_INVALID_HANDLE            ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER         ((NTSTATUS)0xC000000D)
#define STATUS_NO_MEMORY                 ((NTSTATUS)0xC0000017)
#define STATUS_ACCESS_DENIED             ((NTSTATUS)0xC0000022)
#define STATUS_BUFFER_TOO_SMALL          ((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_TYPE_MISMATCH      ((NTSTATUS)0xC0000024)
#define STATUS_SHARING_VIOLATION         ((NTSTATUS)0xC0000043)
#define STATUS_DEVICE_NOT_READY          ((NTSTATUS)0xC00000A3)
#define STATUS_PIPE_DISCONNECTED         ((NTSTATUS)0xC00000B0)
#define STATUS_IO_TIMEOUT                ((NTSTATUS)0xC00000B5)
#define STATUS_NOT_SUPPORTED             ((NTSTATUS)0xC00000BB)
#define STATUS_NETWORK_BUSY              ((NTSTATUS)0xC00000BF)
#define STATUS_TOO_MANY_OPENED_FILES     ((NTSTATUS)0xC000011F)
#define STATUS_CANCELLED                 ((NTSTATUS)0xC0000120)
#define STATUS_LOCAL_DISCONNECT          ((NTSTATUS)0xC000013B)
#define STATUS_REMOTE_DISCONNECT         ((NTSTATUS)0xC000013C)
#define STATUS_INVALID_CONNECTION        ((NTSTATUS)0xC0000140)
#define STATUS_INVALID_ADDRESS           ((NTSTATUS)0xC0000141)
#define STATUS_ADDRESS_ALREADY_EXISTS    ((NTSTATUS)0xC000020A)
#define STATUS_CONNECTION_DISCONNECTED   ((NTSTATUS)0xC000020C)
#define STATUS_CONNECTION_RESET          ((NTSTATUS)0xC000020D)
#define STATUS_CONNECTION_REFUSED        ((NTSTATUS)0xC0000236)
#define STATUS_GRACEFUL_DISCONNECT       ((NTSTATUS)0xC0000237)
#define STATUS_NETWORK_UNREACHABLE       ((NTSTATUS)0xC000023C)
#define STATUS_HOST_UNREACHABLE          ((NTSTATUS)0xC000023D)
#define STATUS_PORT_UNREACHABLE          ((NTSTATUS)0xC000023F)
#define STATUS_CONNECTION_ABORTED        ((NTSTATUS)0xC0000241)

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr)    (((HRESULT)(hr)) < 0)

#endif /* WSAIO_WINERROR_H */
