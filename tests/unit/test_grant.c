/* SPDX-License-Identifier: MIT */
/* test_grant.c - run-time grant bookkeeping (hyp/core/grant.c) with recording hooks: every
 * stage-2 change it asks for, and the order it takes the VMs' locks in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/grant.h"
#include "emv/errno.h"

#define NVM 4
#define PA(n) (0x48000000UL + (n)*0x1000UL)

struct call {
    unsigned vm;
    ipa_t ipa;
    paddr_t pa;
    unsigned pages;
    bool ro;
};

static struct {
    bool held[NVM];
    unsigned nheld, nlocks;
    struct call maps[64], unmaps[64];
    unsigned nmaps, nunmaps;
    bool fail_map;
    unsigned interfere_at; /* call interfere() before lock number N (0: never) */
    void (*interfere)(struct grant_sys *s);
} t;
static struct grant_sys gs;

static void h_lock(void *ctx, unsigned vm)
{
    (void)ctx;
    if (++t.nlocks == t.interfere_at)
        t.interfere(&gs); /* another CPU acting while this one holds nothing */
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

static int h_map(void *ctx, unsigned vm, ipa_t ipa, paddr_t pa, unsigned pages, bool ro)
{
    (void)ctx;
    assert_true(t.held[vm]);
    if (t.fail_map)
        return -1;
    t.maps[t.nmaps++] = (struct call){vm, ipa, pa, pages, ro};
    return 0;
}

static void h_unmap(void *ctx, unsigned vm, ipa_t ipa, unsigned pages)
{
    (void)ctx;
    assert_true(t.held[vm]); /* the window cannot change under it */
    t.unmaps[t.nunmaps++] = (struct call){vm, ipa, 0, pages, false};
}

static const struct grant_hooks hooks = {h_map, h_unmap, h_lock, h_unlock, 0};

/* grant_map, with the mapping's first window page in *@slot on success. */
static int map_at(unsigned mapper, unsigned granter, unsigned ref, unsigned *slot,
                  struct grant_mapped *m)
{
    int r = grant_map(&gs, mapper, granter, ref, m);
    if (!r)
        *slot = m->slot;
    return r;
}

static int setup(void **state)
{
    (void)state;
    memset(&t, 0, sizeof(t));
    grant_init(&gs, NVM, &hooks);
    for (unsigned i = 0; i < NVM; i++)
        grant_vm_up(&gs, i);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(t.nheld, 0); /* every path let go of every lock */
    return 0;
}

static void test_create_map_unmap_revoke(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 99;
    assert_int_equal(grant_create(&gs, 0, 1, PA(4), 2, false), 0);
    assert_int_equal(grant_create(&gs, 0, 1, PA(9), 1, true), 1);
    assert_int_equal(map_at(1, 0, 1, &slot, &m), 0);
    assert_int_equal(slot, 0);
    assert_int_equal(map_at(1, 0, 0, &slot, &m), 0);
    assert_int_equal(slot, 1);
    assert_int_equal(m.pages, 2);
    assert_false(m.ro);
    assert_int_equal(t.nmaps, 2);
    assert_int_equal(t.maps[0].vm, 1);
    assert_int_equal(t.maps[0].ipa, EMV_GRANT_IPA_BASE);
    assert_int_equal(t.maps[0].pa, PA(9));
    assert_true(t.maps[0].ro);
    assert_int_equal(t.maps[1].ipa, EMV_GRANT_IPA_BASE + 0x1000);
    assert_int_equal(t.maps[1].pages, 2);
    assert_false(t.maps[1].ro);
    assert_int_equal(gs.vm[1].mapped_pages, 3);
    assert_int_equal(grant_unmap(&gs, 1, 1), 0);
    assert_int_equal(t.nunmaps, 1);
    assert_int_equal(t.unmaps[0].ipa, EMV_GRANT_IPA_BASE + 0x1000);
    assert_int_equal(t.unmaps[0].pages, 2);
    assert_int_equal(grant_unmap(&gs, 1, 1), -EMV_EINVAL); /* gone */
    assert_int_equal(grant_unmap(&gs, 1, 2), -EMV_EINVAL); /* never the start of one */
    assert_int_equal(grant_revoke(&gs, 0, 0), 0);
    assert_int_equal(t.nunmaps, 1); /* not mapped: nothing to remove */
    assert_int_equal(grant_revoke(&gs, 0, 0), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 0, 2, PA(5), 1, false), 0); /* the reference is free */
    assert_int_equal(gs.vm[0].live, 2);
}

static void test_wrong_peer_and_bad_arguments(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 0;
    assert_int_equal(grant_create(&gs, 0, 1, PA(1), 1, false), 0);
    assert_int_equal(map_at(2, 0, 0, &slot, &m), -EMV_EPERM);  /* meant for VM 1 */
    assert_int_equal(map_at(1, 2, 0, &slot, &m), -EMV_EINVAL); /* VM 2 granted nothing */
    assert_int_equal(map_at(1, 0, 1, &slot, &m), -EMV_EINVAL); /* no such reference */
    assert_int_equal(map_at(1, 0, EMV_GRANT_MAX, &slot, &m), -EMV_EINVAL);
    assert_int_equal(map_at(NVM, 0, 0, &slot, &m), -EMV_EINVAL);
    assert_int_equal(map_at(1, NVM, 0, &slot, &m), -EMV_EINVAL);
    assert_int_equal(map_at(0, 0, 0, &slot, &m), -EMV_EPERM); /* the granter itself */
    assert_int_equal(grant_revoke(&gs, 1, 0), -EMV_EINVAL);   /* not VM 1's grant */
    assert_int_equal(grant_revoke(&gs, 0, EMV_GRANT_MAX), -EMV_EINVAL);
    assert_int_equal(grant_revoke(&gs, NVM, 0), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 0, 0, PA(1), 1, false), -EMV_EINVAL); /* to itself */
    assert_int_equal(grant_create(&gs, 0, NVM, PA(1), 1, false), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 0, 1, PA(1), 0, false), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 0, 1, PA(1), EMV_GRANT_MAX_PAGES + 1, false), -EMV_EINVAL);
    assert_int_equal(grant_unmap(&gs, 1, EMV_GRANT_WINDOW_PAGES), -EMV_EINVAL);
    assert_int_equal(grant_unmap(&gs, 1, 0), -EMV_EINVAL);
    assert_int_equal(t.nmaps + t.nunmaps, 0);
}

static void test_double_map_refused(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 0;
    assert_int_equal(grant_create(&gs, 2, 3, PA(1), 3, false), 0);
    assert_int_equal(map_at(3, 2, 0, &slot, &m), 0);
    assert_int_equal(map_at(3, 2, 0, &slot, &m), -EMV_EEXIST);
    assert_int_equal(t.nmaps, 1);
    assert_int_equal(gs.vm[3].mapped_pages, 3);
}

static void test_limits(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 0;
    for (int i = 0; i < EMV_GRANT_MAX; i++)
        assert_int_equal(grant_create(&gs, 0, 1, PA(i), EMV_GRANT_MAX_PAGES, false), i);
    assert_int_equal(grant_create(&gs, 0, 1, PA(0), 1, false), -EMV_ENOMEM);
    for (int i = 0; i < EMV_GRANT_WINDOW_PAGES / EMV_GRANT_MAX_PAGES; i++) {
        assert_int_equal(map_at(1, 0, (unsigned)i, &slot, &m), 0);
        assert_int_equal(slot, (unsigned)i * EMV_GRANT_MAX_PAGES);
    }
    assert_int_equal(map_at(1, 0, 5, &slot, &m), -EMV_ENOMEM); /* the window is full */
    assert_int_equal(gs.vm[1].mapped_pages, EMV_GRANT_WINDOW_PAGES);
    assert_int_equal(grant_unmap(&gs, 1, EMV_GRANT_MAX_PAGES), 0);
    assert_int_equal(map_at(1, 0, 5, &slot, &m), 0);
    assert_int_equal(slot, EMV_GRANT_MAX_PAGES);
    /* Another VM's limits are its own. */
    assert_int_equal(grant_create(&gs, 2, 1, PA(0), 1, false), 0);
    assert_int_equal(grant_create(&gs, 1, 2, PA(0), 1, false), 0);
    /* Refused when the map hook fails: nothing changes. */
    assert_int_equal(grant_unmap(&gs, 1, 0), 0);
    t.fail_map = true;
    assert_int_equal(map_at(1, 0, 6, &slot, &m), -EMV_ENOMEM);
    t.fail_map = false;
    assert_int_equal(gs.vm[1].window & 1, 0);
    assert_int_equal(map_at(1, 0, 6, &slot, &m), 0);
}

/* Revoke while mapped: the peer's mapping is removed before the call returns; the peer's
 * window pages stay taken until it unmaps, which then says the grant was revoked. */
static void test_revoke_while_mapped(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 0, slot2 = 0;
    assert_int_equal(grant_create(&gs, 1, 0, PA(7), 2, false), 0);
    assert_int_equal(grant_create(&gs, 1, 0, PA(8), 1, false), 1);
    assert_int_equal(map_at(0, 1, 0, &slot, &m), 0);
    assert_int_equal(grant_revoke(&gs, 1, 0), 0);
    assert_int_equal(t.nunmaps, 1);
    assert_int_equal(t.unmaps[0].vm, 0);
    assert_int_equal(t.unmaps[0].ipa, grant_slot_ipa(slot));
    assert_int_equal(t.unmaps[0].pages, 2);
    assert_int_equal(gs.vm[0].mapped_pages, 0);
    assert_int_equal(gs.vm[1].revoked_while_mapped, 1);
    assert_int_equal(map_at(0, 1, 1, &slot2, &m), 0);
    assert_true(slot2 >= slot + 2); /* never at an address the peer may still use */
    assert_int_equal(grant_unmap(&gs, 0, slot), 1);
    assert_int_equal(t.nunmaps, 1); /* nothing left to remove */
    assert_int_equal(grant_unmap(&gs, 0, slot), -EMV_EINVAL);
    assert_int_equal(map_at(0, 1, 0, &slot, &m), -EMV_EINVAL); /* revoked */
}

/* A granter that stops: its grants end, every peer's mapping is removed, nothing new. */
static void test_granter_down(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned s1 = 0, s2 = 0;
    assert_int_equal(grant_create(&gs, 2, 1, PA(1), 1, false), 0);
    assert_int_equal(grant_create(&gs, 2, 3, PA(2), 4, true), 1);
    assert_int_equal(grant_create(&gs, 2, 3, PA(3), 1, true), 2);
    assert_int_equal(grant_create(&gs, 0, 2, PA(3), 1, true), 0);
    assert_int_equal(map_at(1, 2, 0, &s1, &m), 0);
    assert_int_equal(map_at(3, 2, 1, &s2, &m), 0);
    assert_int_equal(map_at(2, 0, 0, &s2, &m), 0);
    grant_vm_down(&gs, 2);
    assert_int_equal(t.nunmaps, 3); /* VM 1's, VM 3's, and its own mapping of VM 0's */
    assert_int_equal(gs.vm[2].live, 0);
    assert_int_equal(gs.vm[1].mapped_pages + gs.vm[3].mapped_pages, 0);
    assert_int_equal(gs.vm[2].window, 0);
    assert_false(gs.vm[0].g[0].mapped);
    assert_int_equal(map_at(3, 2, 2, &s2, &m), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 2, 1, PA(1), 1, false), -EMV_EINVAL);
    assert_int_equal(grant_create(&gs, 1, 2, PA(1), 1, false), -EMV_EINVAL);
    assert_int_equal(grant_unmap(&gs, 1, s1), 1); /* the peer reclaims its window space */
    assert_int_equal(gs.vm[1].window, 0);
    assert_int_equal(grant_revoke(&gs, 0, 0), 0); /* its grant to the stopped VM, unmapped */
    assert_int_equal(t.nunmaps, 3);
    grant_vm_down(&gs, 2); /* twice: harmless */
    assert_int_equal(t.nunmaps, 3);
}

/* Between reading a grant's peer and taking both locks, the VM's other vCPU revoked it and
 * granted the reference to another VM: the revoke still ends the right grant, with every
 * lock taken in order. */
static void regrant_to_vm0(struct grant_sys *s)
{
    struct grant *g = &s->vm[1].g[0];
    assert_true(g->live && g->peer == 2);
    g->peer = 0;
}

static void test_revoke_races_regrant(void **state)
{
    (void)state;
    struct grant_mapped m;
    unsigned slot = 0;
    assert_int_equal(grant_create(&gs, 1, 2, PA(1), 1, false), 0);
    assert_int_equal(grant_create(&gs, 1, 0, PA(1), 1, false), 1);
    assert_int_equal(map_at(0, 1, 1, &slot, &m), 0);
    t.interfere = regrant_to_vm0;
    t.interfere_at = t.nlocks + 2; /* after the peer was read, before the pair is locked */
    assert_int_equal(grant_revoke(&gs, 1, 0), 0);
    assert_false(gs.vm[1].g[0].live);
    assert_true(gs.vm[1].g[1].live);
    assert_int_equal(t.nlocks - t.interfere_at, 1 + NVM); /* the pair, then all VMs */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_map_unmap_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_peer_and_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_double_map_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke_while_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_granter_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revoke_races_regrant, setup, teardown),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
