/*
 * lockorder.c - the debug builds' record of the locks each thread holds (lockorder.h).
 */
#include "base/lockorder.h"

#ifndef NDEBUG
#include <stdio.h>
#include <stdlib.h>

__thread uint32_t wsaio_ranks_held __attribute__((tls_model("initial-exec")));
__thread uint8_t wsaio_resources_depth __attribute__((tls_model("initial-exec")));

void wsaio_lockorder_violation(enum wsaio_lock_rank taking, uint32_t held)
{
    fprintf(stderr, "wsaio: lock order violated: taking rank %d while holding ranks", taking);
    for (int r = 0; r < 32; r++)
        if (held & (1u << r))
            fprintf(stderr, " %d", r);
    fprintf(stderr, " (base/lockorder.h)\n");
    abort();
}
#else
typedef int wsaio_lockorder_unused; /* an empty translation unit is not ISO C */
#endif
