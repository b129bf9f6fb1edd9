/*
 * winnt.h - the NT base types. In wsaio they live in windef.h (one place for every width
 * decision); this header exists for programs that include <winnt.h> or <WinNT.h> directly.
 */
#ifndef WSAIO_WINNT_H
#define WSAIO_WINNT_H

#include "windef.h"

#endif /* WSAIO_WINNT_H */
