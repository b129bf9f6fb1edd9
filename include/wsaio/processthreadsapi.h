/*
 * processthreadsapi.h - thread local storage slots (the thread functions themselves are in
 * winbase.h).
 */
#ifndef WSAIO_PROCESSTHREADSAPI_H
#define WSAIO_PROCESSTHREADSAPI_H

#include "winbase.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLS_OUT_OF_INDEXES    ((DWORD)0xFFFFFFFF)
#define TLS_MINIMUM_AVAILABLE 64

/**
 * TlsAlloc - a free slot index (1088 slots); its value reads NULL in every thread until set.
 * TLS_OUT_OF_INDEXES with ERROR_NO_MORE_ITEMS when none is left.
 */
WSAIO_EXPORT DWORD WINAPI TlsAlloc(void);
/** TlsFree - releases the index; ERROR_INVALID_PARAMETER if it is not allocated. */
WSAIO_EXPORT BOOL WINAPI TlsFree(DWORD dwTlsIndex);
/**
 * TlsGetValue - the calling thread's value for the index. Sets the last error to
 * ERROR_SUCCESS on success (so a stored NULL can be told apart), ERROR_INVALID_PARAMETER
 * (and NULL) for an index >= 1088. As on Windows, only the range is checked.
 */
WSAIO_EXPORT LPVOID WINAPI TlsGetValue(DWORD dwTlsIndex);
/** TlsSetValue - stores the calling thread's value for the index. */
WSAIO_EXPORT BOOL WINAPI TlsSetValue(DWORD dwTlsIndex, LPVOID lpTlsValue);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_PROCESSTHREADSAPI_H */
