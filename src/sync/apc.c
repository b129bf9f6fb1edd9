/*
 * apc.c - per-thread state and its queue of asynchronous procedure calls (completion
 * routines and QueueUserAPC routines), run only inside the thread's alertable waits.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/error.h"
#include "base/resources.h"
#include "sync/thread.h"

/* Marks the queue of a thread that has exited: pushes fail and drop the routine. */
#define APC_CLOSED ((struct wsaio_apc *)(uintptr_t)1)

static pthread_key_t tstate_key;
/* tstate_key made; a pthread key is valid in a fork child, and so is its thread's state. */
static struct wsaio_lazy tstate_key_lazy = {.survives_fork = true};
static __thread struct wsaio_tstate *tstate_tls __attribute__((tls_model("initial-exec")));
static void (*_Atomic exit_hook)(void); /* set when the library loads */

static void drop_list(struct wsaio_apc *a)
{
    while (a) {
        struct wsaio_apc *next = a->next;

        a->drop(a);
        a = next;
    }
}

/* Thread exit (key destructor, or the end of a CreateThread thread): routines queued to
 * the thread are discarded, never run (api.md 3.2 rule 7). */
static void tstate_exit(void *p)
{
    struct wsaio_tstate *ts = p;
    void (*hook)(void) = atomic_load_explicit(&exit_hook, memory_order_relaxed);

    if (hook)
        hook();
    drop_list(atomic_exchange(&ts->apc_head, APC_CLOSED));
    drop_list(ts->fifo);
    ts->fifo = NULL;
    tstate_tls = NULL;
    wsaio_tstate_put(ts);
}

/* The key whose destructor ends a thread's state. None free (PTHREAD_KEYS_MAX taken) is a
 * shortage: no state now, the next call tries again. */
static int make_key(void)
{
    return -pthread_key_create(&tstate_key, tstate_exit);
}

struct wsaio_tstate *wsaio_tstate_new(void)
{
    struct wsaio_tstate *ts;

    if (wsaio_lazy_setup(&tstate_key_lazy, make_key) < 0)
        return NULL;
    ts = calloc(1, sizeof(*ts));

    if (ts)
        atomic_init(&ts->refs, 1); /* the thread's own reference */
    return ts;
}

void wsaio_tstate_adopt(struct wsaio_tstate *ts)
{
    __atomic_store_n(&ts->tid, gettid(), __ATOMIC_RELEASE);
    tstate_tls = ts;
    pthread_setspecific(tstate_key, ts);
}

void wsaio_tstate_exit_self(void)
{
    struct wsaio_tstate *ts = tstate_tls;

    if (ts) {
        pthread_setspecific(tstate_key, NULL);
        tstate_exit(ts);
    }
}

struct wsaio_tstate *wsaio_tstate_self(void)
{
    struct wsaio_tstate *ts = tstate_tls;

    if (!ts) {
        ts = wsaio_tstate_new();
        if (ts)
            wsaio_tstate_adopt(ts);
    }
    return ts;
}

void wsaio_tstate_set_exit_hook(void (*fn)(void))
{
    atomic_store_explicit(&exit_hook, fn, memory_order_relaxed);
}

void wsaio_tstate_get(struct wsaio_tstate *ts)
{
    atomic_fetch_add_explicit(&ts->refs, 1, memory_order_relaxed);
}

void wsaio_tstate_put(struct wsaio_tstate *ts)
{
    if (atomic_fetch_sub_explicit(&ts->refs, 1, memory_order_acq_rel) == 1) {
        /* Nobody can push any more: the queue was closed when the thread exited. */
        struct wsaio_apc *left = atomic_load(&ts->apc_head);

        if (left != APC_CLOSED)
            drop_list(left);
        free(ts);
    }
}

bool wsaio_apc_queue(struct wsaio_tstate *ts, struct wsaio_apc *apc)
{
    struct wsaio_apc *head = atomic_load_explicit(&ts->apc_head, memory_order_relaxed);

    do {
        if (head == APC_CLOSED) {
            apc->drop(apc);
            return false;
        }
        apc->next = head;
        /* Release: the owner that takes the list sees the routine's data. */
    } while (!atomic_compare_exchange_weak_explicit(&ts->apc_head, &head, apc, memory_order_seq_cst,
                                                    memory_order_relaxed));
    atomic_fetch_add(&ts->apc_seq, 1);
    wsaio_waitable_kick_thread(ts);
    return true;
}

bool wsaio_apc_pending(struct wsaio_tstate *ts)
{
    struct wsaio_apc *head = atomic_load_explicit(&ts->apc_head, memory_order_relaxed);

    return ts->fifo || (head && head != APC_CLOSED);
}

/* Moves everything pushed so far onto the owner's FIFO, oldest first. */
static void take_pushed(struct wsaio_tstate *ts)
{
    struct wsaio_apc *list = atomic_exchange_explicit(&ts->apc_head, NULL, memory_order_acquire);
    struct wsaio_apc *rev = NULL, **tail;

    while (list) {
        struct wsaio_apc *next = list->next;

        list->next = rev;
        rev = list;
        list = next;
    }
    tail = &ts->fifo;
    while (*tail)
        tail = &(*tail)->next;
    *tail = rev;
}

bool wsaio_apc_run_all(struct wsaio_tstate *ts, void (*between)(void))
{
    bool ran = false;

    for (;;) {
        struct wsaio_apc *a;

        if (!ts->fifo) {
            /* Routines queued while the last ones ran (an operation a routine started
             * that completed at once) go behind what is ready meanwhile (unit.routine_fairness). */
            if (ran && between)
                between();
            take_pushed(ts);
        }
        a = ts->fifo;
        if (!a)
            return ran;
        /* Unlink before running: a routine that waits alertably itself continues
         * with the next one instead of running this one again. */
        ts->fifo = a->next;
        a->run(a);
        ran = true;
    }
}

/* ---- QueueUserAPC ---------------------------------------------------------------- */

struct user_apc {
    struct wsaio_apc apc;
    PAPCFUNC fn;
    ULONG_PTR data;
};

static void user_apc_run(struct wsaio_apc *a)
{
    struct user_apc *u = (struct user_apc *)a;
    PAPCFUNC fn = u->fn;
    ULONG_PTR data = u->data;

    free(u);
    fn(data);
}

static void user_apc_drop(struct wsaio_apc *a)
{
    free(a);
}

WSAIO_EXPORT DWORD WINAPI QueueUserAPC(PAPCFUNC pfnAPC, HANDLE hThread, ULONG_PTR dwData)
{
    struct wsaio_object *obj = NULL;
    struct wsaio_tstate *ts;
    struct user_apc *u;
    bool queued;

    if (!pfnAPC) {
        wsaio_set_error(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (hThread == GetCurrentThread()) {
        ts = wsaio_tstate_self();
    } else {
        obj = wsaio_handle_ref(hThread, WSAIO_OBJ_THREAD);
        if (!obj) {
            wsaio_set_error(ERROR_INVALID_HANDLE);
            return 0;
        }
        ts = ((struct wsaio_thread *)obj)->ts;
    }
    u = ts ? malloc(sizeof(*u)) : NULL;
    if (!u) {
        if (obj)
            wsaio_object_put(obj);
        wsaio_set_error(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    u->apc.run = user_apc_run;
    u->apc.drop = user_apc_drop;
    u->fn = pfnAPC;
    u->data = dwData;
    queued = wsaio_apc_queue(ts, &u->apc);
    if (obj)
        wsaio_object_put(obj);
    if (!queued) {
        wsaio_set_error(ERROR_GEN_FAILURE);
        return 0;
    }
    return 1;
}
