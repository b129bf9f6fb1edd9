/*
 * sysinfo.c - GetSystemInfo: the processor count and page size from the kernel, and the
 * values Windows programs size things by (64 KiB allocation granularity).
 */
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <windows.h>

/* The bits of the online CPUs (the first 64) from the affinity-independent list. */
static DWORD_PTR online_mask(long *count)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    DWORD_PTR mask = 0;

    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    for (long i = 0; i < n; i++)
        mask |= (DWORD_PTR)1 << i;
    *count = n;
    return mask;
}

static void processor(LPSYSTEM_INFO si)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b, c, d;

    si->wProcessorArchitecture =
        sizeof(void *) == 8 ? PROCESSOR_ARCHITECTURE_AMD64 : PROCESSOR_ARCHITECTURE_INTEL;
    si->dwProcessorType = sizeof(void *) == 8 ? PROCESSOR_AMD_X8664 : PROCESSOR_INTEL_PENTIUM;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        unsigned family = (a >> 8) & 0xF, model = (a >> 4) & 0xF, stepping = a & 0xF;

        if (family == 0xF)
            family += (a >> 20) & 0xFF;
        if (family >= 6)
            model += ((a >> 16) & 0xF) << 4;
        si->wProcessorLevel = (WORD)family;
        si->wProcessorRevision = (WORD)((model << 8) | stepping);
    }
#elif defined(__aarch64__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
    si->dwProcessorType = PROCESSOR_ARM;
#elif defined(__arm__)
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM;
    si->dwProcessorType = PROCESSOR_ARM;
#else
    si->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
#endif
}

WSAIO_EXPORT void WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    long n;

    memset(lpSystemInfo, 0, sizeof(*lpSystemInfo));
    processor(lpSystemInfo);
    lpSystemInfo->dwPageSize = (DWORD)sysconf(_SC_PAGESIZE);
    lpSystemInfo->dwAllocationGranularity = 65536;
    /* The lowest address mmap hands out by default and the top of the 47-bit user space. */
    lpSystemInfo->lpMinimumApplicationAddress = (LPVOID)(uintptr_t)0x10000;
    lpSystemInfo->lpMaximumApplicationAddress =
        (LPVOID)(uintptr_t)(sizeof(void *) == 8 ? 0x00007FFFFFFEFFFFull : 0x7FFEFFFFul);
    lpSystemInfo->dwActiveProcessorMask = online_mask(&n);
    lpSystemInfo->dwNumberOfProcessors = (DWORD)n;
}

WSAIO_EXPORT void WINAPI GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    GetSystemInfo(lpSystemInfo);
}
