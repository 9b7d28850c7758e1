/* SPDX-License-Identifier: MIT */
/* test_evport.c - event-channel ports (hyp/core/evport.c) with recording hooks: the upcalls
 * it raises (never under a lock), the order it takes the VMs' locks in, and every refusal of
 * run-time binding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/evport.h"
#include "emv/errno.h"

#define NVM 4
#define FIXED 3 /* config objects of each VM: run-time ports start at index 3 */
enum { A, B, C, D };

static struct {
    bool held[NVM];
    unsigned nheld, nlocks;
    unsigned raised[NVM];
    unsigned interfere_at; /* call interfere() before lock number N (0: never) */
    void (*interfere)(struct evport_sys *s);
} t;
static struct evport_sys es;

static void h_lock(void *ctx, unsigned vm)
{
    (void)ctx;
    if (++t.nlocks == t.interfere_at)
        t.interfere(&es); /* another CPU acting while this one holds nothing */
    assert_true(vm < NVM);
    assert_false(t.held[vm]);
    for (unsigned i = vm + 1; i < NVM; i++)
        assert_false(t.held[i]); /* a lower index is never taken after a higher one */
    t.held[vm] = true;
    t.nheld++;
}

static void h_unlock(void *ctx, unsigned vm)
{
    (void)ctx;
    assert_true(t.held[vm]);
    t.held[vm] = false;
    t.nheld--;
}

static void h_raise(void *ctx, unsigned vm)
{
    (void)ctx;
    assert_int_equal(t.nheld, 0); /* the upcall may wake and kick: never under a port lock */
    t.raised[vm]++;
}

static const struct evport_hooks hooks = {h_raise, h_lock, h_unlock, 0};

static int setup(void **state)
{
    (void)state;
    memset(&t, 0, sizeof(t));
    evport_init(&es, NVM, &hooks);
    for (unsigned v = 0; v < NVM; v++)
        evport_vm_up(&es, v, FIXED);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(t.nheld, 0); /* every path lets go of what it took */
    return 0;
}

/* A's port for B, bound by B: (a's port, b's port). */
static void pair(unsigned a, unsigned b, int *pa, int *pb)
{
    *pa = evport_alloc_unbound(&es, a, b);
    assert_true(*pa >= FIXED);
    *pb = evport_bind(&es, b, a, (unsigned)*pa);
    assert_true(*pb >= FIXED);
}

static void test_bind_and_notify(void **state)
{
    (void)state;
    int pa = evport_alloc_unbound(&es, A, B);
    assert_int_equal(pa, FIXED); /* the lowest index past the config's objects */
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), -EMV_EPIPE); /* nobody there yet */
    int pb = evport_bind(&es, B, A, (unsigned)pa);
    assert_int_equal(pb, FIXED);
    /* A -> B: B's port pending, one upcall; a second notify coalesces. */
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0);
    assert_int_equal(t.raised[B], 1);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0);
    assert_int_equal(t.raised[B], 1);
    assert_int_equal(evport_poll(&es, B), 1ULL << pb);
    assert_int_equal(evport_poll(&es, B), 0);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0);
    assert_int_equal(t.raised[B], 2); /* polled: the next one raises again */
    /* B -> A. */
    assert_int_equal(evport_notify(&es, B, (unsigned)pb), 0);
    assert_int_equal(t.raised[A], 1);
    assert_int_equal(evport_poll(&es, A), 1ULL << pa);
    assert_int_equal(t.raised[C] + t.raised[D], 0);
    /* A config channel end signals through the same bits. */
    evport_signal(&es, C, 1);
    assert_int_equal(t.raised[C], 1);
    assert_int_equal(evport_poll(&es, C), 1ULL << 1);
}

static void test_mask(void **state)
{
    (void)state;
    int pa, pb;
    pair(A, B, &pa, &pb);
    assert_int_equal(evport_mask(&es, B, (unsigned)pb, true), 0);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0);
    assert_int_equal(t.raised[B], 0); /* pending, but masked */
    assert_int_equal(evport_mask(&es, B, (unsigned)pb, false), 0);
    assert_int_equal(t.raised[B], 1); /* what came while masked */
    assert_int_equal(evport_poll(&es, B), 1ULL << pb);
    assert_int_equal(evport_mask(&es, B, (unsigned)pb, false), 0);
    assert_int_equal(t.raised[B], 1); /* nothing pending: nothing raised */
    assert_int_equal(evport_mask(&es, B, FIXED + 5, true), -EMV_EINVAL); /* no such port */
    assert_int_equal(evport_mask(&es, B, 1, true), -EMV_EINVAL);         /* a config index */
    assert_int_equal(evport_mask(&es, B, EMV_MAX_OBJS, true), -EMV_EINVAL);
    evport_set_mask(&es, C, 1, true); /* config ports: masked as they are */
    evport_signal(&es, C, 1);
    assert_int_equal(t.raised[C], 0);
    evport_set_mask(&es, C, 1, false);
    assert_int_equal(t.raised[C], 1);
}

/* Binding only what was allocated for the caller, once; every other attempt refused. */
static void test_bind_refusals(void **state)
{
    (void)state;
    int pa = evport_alloc_unbound(&es, A, B);
    assert_int_equal(evport_bind(&es, C, A, (unsigned)pa), -EMV_EPERM);      /* for B, not C */
    assert_int_equal(evport_bind(&es, B, A, (unsigned)pa + 1), -EMV_EINVAL); /* free index */
    assert_int_equal(evport_bind(&es, B, A, 1), -EMV_EINVAL);                /* A's config end */
    assert_int_equal(evport_bind(&es, B, A, EMV_MAX_OBJS), -EMV_EINVAL);
    assert_int_equal(evport_bind(&es, B, B, (unsigned)pa), -EMV_EINVAL); /* itself */
    assert_int_equal(evport_bind(&es, B, NVM, (unsigned)pa), -EMV_EINVAL);
    int pb = evport_bind(&es, B, A, (unsigned)pa);
    assert_true(pb >= FIXED);
    assert_int_equal(evport_bind(&es, B, A, (unsigned)pa), -EMV_EEXIST); /* twice */
    assert_int_equal(evport_bind(&es, C, A, (unsigned)pa), -EMV_EPERM);  /* bound to B */
    assert_int_equal(evport_alloc_unbound(&es, A, A), -EMV_EINVAL);
    assert_int_equal(evport_alloc_unbound(&es, A, NVM), -EMV_EINVAL);
    /* Nothing else moved: the pair still works, C has nothing. */
    assert_int_equal(evport_notify(&es, B, (unsigned)pb), 0);
    assert_int_equal(evport_poll(&es, A), 1ULL << pa);
    assert_int_equal(evport_notify(&es, C, FIXED), -EMV_EINVAL);
}

/* The table bounds a VM's ports: alloc and bind stop at its end, and a refused bind leaves
 * the peer's port unbound for a later try. */
static void test_table_full(void **state)
{
    (void)state;
    unsigned n = 0;
    int r;
    while ((r = evport_alloc_unbound(&es, A, B)) >= 0) {
        assert_int_equal(r, FIXED + n);
        n++;
    }
    assert_int_equal(r, -EMV_ENOMEM);
    assert_int_equal(n, EMV_MAX_OBJS - FIXED);
    int pc = evport_alloc_unbound(&es, C, A);
    assert_int_equal(evport_bind(&es, A, C, (unsigned)pc), -EMV_ENOMEM); /* A is full */
    assert_int_equal(evport_close(&es, A, FIXED + 4), 0);
    int pa = evport_bind(&es, A, C, (unsigned)pc); /* C's port was still there */
    assert_int_equal(pa, FIXED + 4);
    assert_int_equal(evport_notify(&es, C, (unsigned)pc), 0);
    assert_int_equal(evport_poll(&es, A), 1ULL << pa);
}

static void test_close(void **state)
{
    (void)state;
    int pa, pb;
    pair(A, B, &pa, &pb);
    assert_int_equal(evport_close(&es, A, 1), -EMV_EPERM); /* the config's */
    assert_int_equal(evport_close(&es, A, FIXED + 7), -EMV_EINVAL);
    assert_int_equal(evport_close(&es, A, EMV_MAX_OBJS), -EMV_EINVAL);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0); /* leaves B's port pending */
    assert_int_equal(evport_mask(&es, A, (unsigned)pa, true), 0);
    assert_int_equal(evport_close(&es, A, (unsigned)pa), 0);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), -EMV_EINVAL); /* gone */
    assert_int_equal(evport_close(&es, A, (unsigned)pa), -EMV_EINVAL);
    assert_int_equal(evport_notify(&es, B, (unsigned)pb), -EMV_EPIPE); /* unbound now */
    unsigned peer = 9;
    assert_int_equal(evport_peer(&es, B, (unsigned)pb, &peer), 0);
    assert_int_equal(peer, A); /* still reserved for A */
    assert_int_equal(evport_peer(&es, A, (unsigned)pa, &peer), -EMV_EINVAL);
    /* A binds B's port again: it gets the freed index, clear of old bits. */
    int pa2 = evport_bind(&es, A, B, (unsigned)pb);
    assert_int_equal(pa2, pa);
    assert_int_equal(evport_poll(&es, A), 0);
    assert_int_equal(evport_notify(&es, B, (unsigned)pb), 0);
    assert_int_equal(t.raised[A], 1); /* not masked: the mask went with the old port */
    /* Close from the other end; then an unbound port closes alone. */
    assert_int_equal(evport_close(&es, B, (unsigned)pb), 0);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa2), -EMV_EPIPE);
    assert_int_equal(evport_close(&es, A, (unsigned)pa2), 0);
}

static void test_vm_down(void **state)
{
    (void)state;
    int pa, pb, pc, pd;
    pair(A, B, &pa, &pb);
    pair(C, B, &pc, &pd);
    int spare = evport_alloc_unbound(&es, D, B); /* reserved for B, never bound */
    evport_vm_down(&es, B);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), -EMV_EPIPE);
    assert_int_equal(evport_notify(&es, C, (unsigned)pc), -EMV_EPIPE);
    assert_int_equal(evport_alloc_unbound(&es, A, B), -EMV_EPIPE);
    assert_int_equal(evport_bind(&es, A, B, (unsigned)pb), -EMV_EPIPE);
    assert_int_equal(evport_notify(&es, B, (unsigned)pb), -EMV_EINVAL);    /* its ports are gone */
    assert_int_equal(evport_bind(&es, B, D, (unsigned)spare), -EMV_EPIPE); /* it is down */
    assert_int_equal(t.raised[A] + t.raised[C], 0);
    /* Restarted: a clean table; what the others still hold for it can be bound again. */
    evport_vm_up(&es, B, FIXED);
    int nb = evport_bind(&es, B, A, (unsigned)pa);
    assert_int_equal(nb, FIXED);
    assert_int_equal(evport_notify(&es, A, (unsigned)pa), 0);
    assert_int_equal(evport_poll(&es, B), 1ULL << nb);
    assert_int_equal(evport_close(&es, D, (unsigned)spare), 0);
}

/* Between close's first look and its two locks, another vCPU of A closed the port and made a
 * new one there for another VM: close takes every lock and closes what is there now. */
static int realloc_port;
static void reallocate(struct evport_sys *s)
{
    assert_int_equal(evport_close(s, A, (unsigned)realloc_port), 0);
    assert_int_equal(evport_alloc_unbound(s, A, D), realloc_port);
}

static void test_close_race_realloc(void **state)
{
    (void)state;
    int pa, pb;
    pair(A, C, &pa, &pb);
    realloc_port = pa;
    t.interfere = reallocate;
    t.interfere_at = t.nlocks + 2; /* after close's look under A's lock, before the pair */
    assert_int_equal(evport_close(&es, A, (unsigned)pa), 0);
    t.interfere_at = 0;
    assert_int_equal(evport_notify(&es, C, (unsigned)pb), -EMV_EPIPE); /* unbound by the first */
    unsigned peer;
    assert_int_equal(evport_peer(&es, A, (unsigned)pa, &peer), -EMV_EINVAL); /* closed too */
}

/* The peer closes its end in that window: the port is unbound, same peer; close goes on. */
static int race_pb;
static void peer_closes(struct evport_sys *s)
{
    assert_int_equal(evport_close(s, B, (unsigned)race_pb), 0);
}

static void test_close_race_peer(void **state)
{
    (void)state;
    int pa, pb;
    pair(A, B, &pa, &pb);
    race_pb = pb;
    t.interfere = peer_closes;
    t.interfere_at = t.nlocks + 2;
    assert_int_equal(evport_close(&es, A, (unsigned)pa), 0);
    t.interfere_at = 0;
    unsigned peer;
    assert_int_equal(evport_peer(&es, A, (unsigned)pa, &peer), -EMV_EINVAL);
    assert_int_equal(evport_peer(&es, B, (unsigned)pb, &peer), -EMV_EINVAL);
    assert_int_equal(evport_alloc_unbound(&es, A, B), pa); /* both indices free again */
    assert_int_equal(evport_alloc_unbound(&es, B, A), pb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bind_and_notify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vm_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_race_realloc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_race_peer, setup, teardown),
    };
    return cmocka_run_group_tests_name("evport", tests, NULL, NULL);
}
