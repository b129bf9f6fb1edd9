/*
 * msvc_keywords.h - the Microsoft compiler's own words, for Winsock programs compiled with
 * gcc or clang on Linux: calling conventions, __declspec, __forceinline, the __intN types
 * and _countof. <windef.h> includes it, so every wsaio header brings it, as the compiler
 * does on Windows. A word the compiler already knows (clang's -fms-extensions) is left as
 * it is.
 */
#ifndef WSAIO_MSVC_KEYWORDS_H
#define WSAIO_MSVC_KEYWORDS_H

/* x86-64 has one calling convention: the Windows names of the others mean nothing here. */
#ifndef __cdecl
#define __cdecl
#endif
#ifndef _cdecl
#define _cdecl
#endif
#ifndef __stdcall
#define __stdcall
#endif
#ifndef _stdcall
#define _stdcall
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef __vectorcall
#define __vectorcall
#endif
#ifndef __thiscall
#define __thiscall
#endif

#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif
#ifndef __inline
#define __inline __inline__
#endif

/* Pointer qualifiers of 32/64-bit Windows that change nothing on a 64-bit build. */
#ifndef __w64
#define __w64
#endif
#ifndef __ptr32
#define __ptr32
#endif
#ifndef __ptr64
#define __ptr64
#endif
#ifndef __unaligned
#define __unaligned
#endif

/* Sized integer keywords (`unsigned __int64` must still work: they are macros to types). */
#ifndef __int8
#define __int8 char
#endif
#ifndef __int16
#define __int16 short
#endif
#ifndef __int32
#define __int32 int
#endif
#ifndef __int64
#define __int64 long long
#endif

/*
 * __declspec(x) becomes the GNU attribute of the same meaning: __declspec(thread) is a
 * thread-local variable, dllexport makes the symbol visible from a shared library built
 * with -fvisibility=hidden, align(n) aligns, noreturn/noinline/deprecated/selectany are the
 * attributes of those names. Another __declspec argument fails to compile (the message
 * names WSAIO_DECLSPEC_<word>), rather than being silently dropped.
 */
#ifndef __declspec
#define __declspec(x) WSAIO_DECLSPEC_##x
#define WSAIO_DECLSPEC_thread    __thread
#define WSAIO_DECLSPEC_dllexport __attribute__((__visibility__("default")))
#define WSAIO_DECLSPEC_dllimport
#define WSAIO_DECLSPEC_noreturn __attribute__((__noreturn__))
#define WSAIO_DECLSPEC_noinline __attribute__((__noinline__))
#define WSAIO_DECLSPEC_nothrow  __attribute__((__nothrow__))
#define WSAIO_DECLSPEC_novtable
#define WSAIO_DECLSPEC_selectany __attribute__((__weak__))
#define WSAIO_DECLSPEC_restrict
#define WSAIO_DECLSPEC_noalias
#define WSAIO_DECLSPEC_align(n)   __attribute__((__aligned__(n)))
#define WSAIO_DECLSPEC_deprecated __attribute__((__deprecated__))
#endif

/* _countof(array): the element count of an array (Windows declares it in <stdlib.h>). */
#ifndef _countof
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif /* WSAIO_MSVC_KEYWORDS_H */
