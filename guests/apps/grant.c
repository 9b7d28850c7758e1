/* SPDX-License-Identifier: MIT */
/*
 * grant.c - run-time grants between VMs (configs/test-grant.dts, docs/abi.md "Grants").
 * Three roles by bootarg; each pair talks through a config mailbox region "mb-X" and channel
 * "ch-X" (X: the peer's role), the granter writing `step`, the peer `ack`.
 * 1 owner: bad calls and limits first; grants page A (rw) and B (ro) to `user`, sees the
 *   user's write in A, revokes B while mapped, grants C (2 pages); grants one page to user and
 *   one (ro) to `stranger` and tells the stranger both; then stops itself by a fault with
 *   grants outstanding.
 * 2 user: maps A and B, checks the patterns, writes A, tries bad maps; maps C; once the owner
 *   is stopped, finds its mappings gone; last, reads B's old address, which faults.
 * 3 stranger: maps the grant meant for `user` (refused) and its own read-only one; last,
 *   writes to the read-only page, which faults.
 * 4 reader (alone on the other CPU): maps a page and reads it in a loop until the owner,
 *   first thing, revokes it: the read faults.
 * Every result is printed `grant: <what>: <value>`, then `grant: N ok, M wrong`.
 */
#include "minios.h"

#include "string.h"

struct mbox {
    volatile uint64_t step, ack;
    volatile uint64_t ref[4];
};

#define PAGE 4096
static uint8_t pages[8][PAGE] __attribute__((aligned(PAGE))); /* A, B, C, D, E, F, spare */
static unsigned nr_ok, nr_wrong;
static struct mbox *mb;
static uint32_t port;

static void on_irq(uint32_t irq)
{
    (void)irq;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got == want)
        nr_ok++;
    else
        nr_wrong++;
    mos_printf("grant: %s: %ld%s\n", what, got, got == want ? "" : " WRONG");
}

static void done(void)
{
    mos_printf("grant: %u ok, %u wrong\n", nr_ok, nr_wrong);
}

/* Wait until *@p >= @v (the peer's write), 1 s at most. */
static bool wait_for(volatile uint64_t *p, uint64_t v)
{
    uint64_t until = mos_now_ns() + 1000000000;
    while (*p < v) {
        if (mos_now_ns() > until) {
            expect("timed out waiting for step", (int64_t)v, -1);
            return false;
        }
        mos_evtchn_poll();
        mos_block(mos_now_ns() + 500000);
    }
    __asm__ volatile("dmb ish" ::: "memory");
    return true;
}

static void post(volatile uint64_t *p, uint64_t v)
{
    __asm__ volatile("dmb ish" ::: "memory");
    *p = v;
    mos_evtchn_notify(port);
}

static bool attach(const char *mbox, const char *chan)
{
    struct mos_obj r, c;
    if (mos_obj_find(mbox, &r) || mos_obj_find(chan, &c)) {
        mos_printf("grant: no %s or %s in the boot information\n", mbox, chan);
        return false;
    }
    mb = (struct mbox *)r.ipa;
    port = c.index;
    return true;
}

static uint64_t ipa_of(int i)
{
    return (uint64_t)(uintptr_t)pages[i];
}

static void fill(int i, uint64_t seed)
{
    for (unsigned k = 0; k < PAGE / 8; k++)
        ((volatile uint64_t *)pages[i])[k] = seed + k;
}

static int64_t check_pattern(uint64_t ipa, unsigned n, uint64_t seed)
{
    for (unsigned k = 0; k < n * PAGE / 8; k++)
        if (((volatile uint64_t *)ipa)[k] != seed + k % (PAGE / 8) + (k / (PAGE / 8)) * 0x100000)
            return (int64_t)k;
    return -1; /* all as written */
}

/* ---- owner ---- */

/* A grant the reader (other CPU) keeps reading, revoked under its feet: the revoke must
 * reach that CPU's TLB before it returns. */
static void owner_reader(void)
{
    struct mos_obj r, ch;
    if (mos_obj_find("mb-rd", &r) || mos_obj_find("ch-rd", &ch))
        return;
    struct mbox *m = (struct mbox *)r.ipa;
    fill(6, 0x6000);
    int64_t ref = mos_grant_create(ch.index, ipa_of(6), 1, 0);
    m->ref[0] = (uint64_t)ref;
    __asm__ volatile("dmb ish" ::: "memory");
    m->step = 1;
    mos_evtchn_notify(ch.index);
    if (!wait_for(&m->ack, 1))
        return;
    mos_spin_ns(2000000); /* the reader is reading the page meanwhile */
    expect("revoke: the page the reader is reading", mos_grant_revoke((uint32_t)ref), 0);
    __asm__ volatile("dmb ish" ::: "memory");
    m->step = 2;
}

static void owner_bad_calls(uint32_t to_user)
{
    struct mos_obj mbu;
    mos_obj_find("mb-user", &mbu);
    expect("create: a shared region's page", mos_grant_create(to_user, mbu.ipa, 1, 0), -EMV_EFAULT);
    expect("create: the GIC distributor", mos_grant_create(to_user, 0x8000000, 1, 0), -EMV_EFAULT);
    expect("create: its grant window", mos_grant_create(to_user, EMV_GRANT_IPA_BASE, 1, 0),
           -EMV_EFAULT);
    expect("create: misaligned", mos_grant_create(to_user, ipa_of(0) + 8, 1, 0), -EMV_EINVAL);
    expect("create: 0 pages", mos_grant_create(to_user, ipa_of(0), 0, 0), -EMV_EINVAL);
    expect("create: 17 pages", mos_grant_create(to_user, ipa_of(0), 17, 0), -EMV_EINVAL);
    expect("create: unknown flag", mos_grant_create(to_user, ipa_of(0), 1, 2), -EMV_EINVAL);
    expect("create: a region is not a channel end", mos_grant_create(mbu.index, ipa_of(0), 1, 0),
           -EMV_EINVAL);
    expect("create: no such object", mos_grant_create(9, ipa_of(0), 1, 0), -EMV_EINVAL);
    expect("revoke: reference 16", mos_grant_revoke(16), -EMV_EINVAL);
    expect("revoke: a free reference", mos_grant_revoke(3), -EMV_EINVAL);
}

/* 16 grants outstanding at most; revoked references are free again. */
static void owner_limits(uint32_t to_user)
{
    int64_t got = 0;
    for (int i = 0; i < EMV_GRANT_MAX && got >= 0; i++)
        got = mos_grant_create(to_user, ipa_of(7), 1, 0);
    expect("create: the 16th grant's reference", got, EMV_GRANT_MAX - 1);
    expect("create: a 17th grant", mos_grant_create(to_user, ipa_of(7), 1, 0), -EMV_ENOMEM);
    int64_t bad = 0;
    for (int i = 0; i < EMV_GRANT_MAX; i++)
        bad += mos_grant_revoke((uint32_t)i) != 0;
    expect("revoke: all 16, failures", bad, 0);
}

static void owner(void)
{
    struct mos_obj cs;
    if (!attach("mb-user", "ch-user") || mos_obj_find("ch-str", &cs))
        return;
    owner_bad_calls(port);
    owner_limits(port);
    owner_reader();
    fill(0, 0xa000);
    fill(1, 0xb000);
    fill(2, 0xc000);
    fill(3, 0xc000 + 0x100000);
    int64_t a = mos_grant_create(port, ipa_of(0), 1, 0);
    int64_t b = mos_grant_create(port, ipa_of(1), 1, EMV_GRANT_RO);
    expect("create: page A, rw", a, 0);
    expect("create: page B, ro", b, 1);
    mb->ref[0] = (uint64_t)a, mb->ref[1] = (uint64_t)b;
    post(&mb->step, 1);
    if (!wait_for(&mb->ack, 1))
        return;
    expect("the user's write, seen in page A", ((volatile uint64_t *)pages[0])[1], 0xcafe);
    expect("revoke: B while the user has it mapped", mos_grant_revoke((uint32_t)b), 0);
    post(&mb->step, 2);
    if (!wait_for(&mb->ack, 2))
        return;
    int64_t c = mos_grant_create(port, ipa_of(2), 2, 0);
    expect("create: pages C and D, rw", c, 1);
    mb->ref[2] = (uint64_t)c;
    post(&mb->step, 3);
    if (!wait_for(&mb->ack, 3))
        return;
    /* The stranger gets a reference meant for the user, and one of its own (read-only). */
    int64_t e = mos_grant_create(port, ipa_of(4), 1, 0);
    struct mos_obj r;
    mos_obj_find("mb-str", &r);
    struct mbox *ms = (struct mbox *)r.ipa;
    fill(5, 0xf000);
    int64_t f = mos_grant_create(cs.index, ipa_of(5), 1, EMV_GRANT_RO);
    expect("create: page F, ro, for the stranger", f, 3);
    ms->ref[0] = (uint64_t)e, ms->ref[1] = (uint64_t)f;
    __asm__ volatile("dmb ish" ::: "memory");
    ms->step = 1;
    mos_evtchn_notify(cs.index);
    if (!wait_for(&ms->ack, 1))
        return;
    done();
    mos_printf("grant: owner stops with 4 grants outstanding\n");
    *(volatile uint64_t *)(EMV_GRANT_IPA_BASE + 0x3f000) = 1; /* nothing mapped there */
}

/* ---- user ---- */

static void user_bad_maps(void)
{
    struct mos_obj mbu;
    mos_obj_find("mb-user", &mbu);
    expect("map: A again", mos_grant_map(port, (uint32_t)mb->ref[0], 0, 0, 0), -EMV_EEXIST);
    expect("map: a reference never granted", mos_grant_map(port, 9, 0, 0, 0), -EMV_EINVAL);
    expect("map: reference 16", mos_grant_map(port, 16, 0, 0, 0), -EMV_EINVAL);
    expect("map: a region is not a channel end", mos_grant_map(mbu.index, 0, 0, 0, 0), -EMV_EINVAL);
    expect("map: no such object", mos_grant_map(7, 0, 0, 0, 0), -EMV_EINVAL);
    expect("unmap: no mapping starts there", mos_grant_unmap(EMV_GRANT_IPA_BASE + 0x20000),
           -EMV_EINVAL);
    expect("unmap: outside the window", mos_grant_unmap(ipa_of(0)), -EMV_EINVAL);
}

/* What an unmap and a map of a 2-page grant cost, in cycles (instructions under -icount). */
static void user_cost(uint32_t ref, uint64_t *ipa)
{
    int64_t bad = 0;
    uint64_t t0 = mos_cycles();
    for (int i = 0; i < 100; i++) {
        bad += mos_grant_unmap(*ipa) != 0;
        bad += mos_grant_map(port, ref, ipa, 0, 0) != 0;
    }
    uint64_t per = (mos_cycles() - t0) / 100;
    expect("unmap and map C 100 times, failures", bad, 0);
    mos_printf("grant: unmap+map of 2 pages: %lu cycles\n", per);
}

static void user(void)
{
    uint64_t ipa_a = 0, ipa_b = 0, ipa_c = 0, n = 0;
    bool ro = false;
    if (!attach("mb-user", "ch-user") || !wait_for(&mb->step, 1))
        return;
    expect("map: A", mos_grant_map(port, (uint32_t)mb->ref[0], &ipa_a, &n, &ro), 0);
    mos_printf("grant: A at %#lx, %lu page(s), %s\n", ipa_a, n, ro ? "ro" : "rw");
    expect("A: the owner's pattern (first wrong word)", check_pattern(ipa_a, 1, 0xa000), -1);
    ((volatile uint64_t *)ipa_a)[1] = 0xcafe;
    expect("map: B", mos_grant_map(port, (uint32_t)mb->ref[1], &ipa_b, &n, &ro), 0);
    mos_printf("grant: B at %#lx, %lu page(s), %s\n", ipa_b, n, ro ? "ro" : "rw");
    expect("B: the owner's pattern (first wrong word)", check_pattern(ipa_b, 1, 0xb000), -1);
    user_bad_maps();
    post(&mb->ack, 1);
    if (!wait_for(&mb->step, 2))
        return;
    post(&mb->ack, 2);
    if (!wait_for(&mb->step, 3))
        return;
    expect("map: C", mos_grant_map(port, (uint32_t)mb->ref[2], &ipa_c, &n, &ro), 0);
    mos_printf("grant: C at %#lx, %lu page(s), %s\n", ipa_c, n, ro ? "ro" : "rw");
    expect("C: the owner's pattern (first wrong word)", check_pattern(ipa_c, 2, 0xc000), -1);
    user_cost((uint32_t)mb->ref[2], &ipa_c);
    post(&mb->ack, 3);
    /* The owner stops: notifying it fails from then on. */
    uint64_t until = mos_now_ns() + 1000000000;
    while (mos_evtchn_notify(port) == 0 && mos_now_ns() < until)
        mos_block(mos_now_ns() + 500000);
    expect("notify: the owner is stopped", mos_evtchn_notify(port), -EMV_EINVAL);
    expect("unmap: C, torn down when the owner stopped", mos_grant_unmap(ipa_c), 1);
    expect("unmap: A, torn down when the owner stopped", mos_grant_unmap(ipa_a), 1);
    expect("map: A of a stopped owner", mos_grant_map(port, (uint32_t)mb->ref[0], 0, 0, 0),
           -EMV_EINVAL);
    expect("create: for a stopped peer", mos_grant_create(port, ipa_of(0), 1, 0), -EMV_EINVAL);
    done();
    mos_printf("grant: user reads B at %#lx, revoked while mapped\n", ipa_b);
    mos_printf("grant: SURVIVED %lx\n", *(volatile uint64_t *)ipa_b);
}

/* ---- reader ---- */

static void reader(void)
{
    uint64_t ipa = 0, sum = 0;
    if (!attach("mb-rd", "ch-rd") || !wait_for(&mb->step, 1))
        return;
    expect("map: R", mos_grant_map(port, (uint32_t)mb->ref[0], &ipa, 0, 0), 0);
    expect("R: the owner's pattern (first wrong word)", check_pattern(ipa, 1, 0x6000), -1);
    done();
    mos_printf("grant: reader reads R at %#lx until the owner revokes it\n", ipa);
    post(&mb->ack, 1);
    while (mb->step < 2) /* no hypercall, no block: the translation stays in this CPU's TLB */
        sum += *(volatile uint64_t *)ipa;
    mos_printf("grant: SURVIVED the revoke (%lu)\n", sum);
}

/* ---- stranger ---- */

static void stranger(void)
{
    uint64_t ipa_f = 0;
    bool ro = false;
    struct mos_obj mbs;
    if (!attach("mb-str", "ch-str") || !wait_for(&mb->step, 1))
        return;
    mos_obj_find("mb-str", &mbs);
    expect("map: a grant meant for another VM", mos_grant_map(port, (uint32_t)mb->ref[0], 0, 0, 0),
           -EMV_EPERM);
    expect("map: F", mos_grant_map(port, (uint32_t)mb->ref[1], &ipa_f, 0, &ro), 0);
    expect("F: read-only", ro, 1);
    expect("F: the owner's pattern (first wrong word)", check_pattern(ipa_f, 1, 0xf000), -1);
    expect("map: a region is not a channel end", mos_grant_map(mbs.index, 0, 0, 0, 0), -EMV_EINVAL);
    expect("map: no such object", mos_grant_map(5, 0, 0, 0, 0), -EMV_EINVAL);
    post(&mb->ack, 1);
    done();
    mos_printf("grant: stranger writes F at %#lx, read-only\n", ipa_f);
    *(volatile uint64_t *)ipa_f = 1;
    mos_printf("grant: SURVIVED\n");
}

void app_main(uint64_t bootarg)
{
    mos_set_irq_handler(on_irq);
    mos_irq_enable();
    if (bootarg == 1)
        owner();
    else if (bootarg == 2)
        user();
    else if (bootarg == 4)
        reader();
    else
        stranger();
    for (;;)
        mos_block(0);
}
