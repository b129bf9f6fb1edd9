/*
 * sysinfoapi.h - GetSystemInfo / GetNativeSystemInfo.
 */
#ifndef WSAIO_SYSINFOAPI_H
#define WSAIO_SYSINFOAPI_H

#include "windef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PROCESSOR_ARCHITECTURE_INTEL   0
#define PROCESSOR_ARCHITECTURE_ARM     5
#define PROCESSOR_ARCHITECTURE_IA64    6
#define PROCESSOR_ARCHITECTURE_AMD64   9
#define PROCESSOR_ARCHITECTURE_ARM64   12
#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xffff
#define PROCESSOR_INTEL_386            386
#define PROCESSOR_INTEL_486            486
#define PROCESSOR_INTEL_PENTIUM        586
#define PROCESSOR_AMD_X8664            8664
#define PROCESSOR_ARM                  0

typedef struct _SYSTEM_INFO {
    union {
        DWORD dwOemId;
        struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        };
    };
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

/**
 * GetSystemInfo - the machine as Windows describes it: dwNumberOfProcessors is the number
 * of online CPUs (at most 64, one processor group), dwActiveProcessorMask their bits,
 * dwPageSize the page size, dwAllocationGranularity 64 KiB (Windows' value), the
 * architecture and, on x86, family/model/stepping as wProcessorLevel/Revision.
 */
WSAIO_EXPORT void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);
/** GetNativeSystemInfo - the same (no emulation layer between the program and the CPU). */
WSAIO_EXPORT void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo);

#ifdef __cplusplus
}
#endif

#endif /* WSAIO_SYSINFOAPI_H */
