/* SPDX-License-Identifier: MIT */
/*
 * evbind.c - event channels bound at run time (configs/test-evbind.dts, docs/abi.md "Event
 * channels"). Three roles by bootarg; they meet in the config region "rdv" (all rw), where
 * each writes what the others need (ports, grant references, steps), and the config links
 * left-right and left-third let them bind.
 * 1 left (CPU 0): allocates a port for right, ping-pongs with it across CPUs, grants it a page
 *   through the run-time port, closes the channel (right's notify then fails); tries to close
 *   its config channel; binds a second channel with third on its own CPU and ping-pongs; then
 *   a third channel with right, which stops while bound: its notify fails, nothing is left.
 * 2 right (CPU 1): binds left's port, binding it twice is refused, answers the pings, maps the
 *   grant; after left's close its notify fails; last, binds again and stops itself by a fault.
 * 3 third (CPU 0, the control VM): the hostile one: binds a port allocated for right, binds
 *   through a VM object without EMV_RIGHT_BIND and through objects that are no VM, maps a grant
 *   meant for right, allocates until its table is full; then honest: ping-pongs with left.
 * Every check prints `evbind: <role>: <what>: <value>`; each role ends with `N ok, M wrong`.
 */
#include "minios.h"

#include "string.h"

struct rdv {
    volatile uint64_t l_port;     /* left's port for right, + 1 */
    volatile uint64_t r_port;     /* right's port, + 1 */
    volatile uint64_t t_step;     /* third: 1 hostile binds done, 2 table-full done */
    volatile uint64_t ping, pong; /* round-trip counters of the current pair */
    volatile uint64_t l_closed;   /* left closed the channel with right */
    volatile uint64_t r_step;     /* right: 1 notify-after-close checked, 2 bound again */
    volatile uint64_t grant_ref;  /* left's grant to right, + 1 */
    volatile uint64_t r_mapped;   /* right read the grant's pattern */
    volatile uint64_t lt_port;    /* left's port for third, + 1 */
    volatile uint64_t t_port;     /* third's port bound to it, + 1 */
    volatile uint64_t l2_port;    /* left's second port for right, + 1 */
    volatile uint64_t lt_closed;  /* left closed the channel with third */
};

#define ROUNDS 2000
#define PAGE 4096
#define PATTERN 0x5eed0000cafe0001UL

static const char *role;
static struct rdv *rv;
static unsigned nr_ok, nr_wrong;
static volatile uint64_t upcalls;
static uint8_t page[PAGE] __attribute__((aligned(PAGE)));

static void on_irq(uint32_t irq)
{
    if (irq == EMV_VIRQ_EVENT)
        upcalls++;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got == want)
        nr_ok++;
    else
        nr_wrong++;
    mos_printf("evbind: %s: %s: %ld%s\n", role, what, got, got == want ? "" : " WRONG");
}

static void done(void)
{
    mos_printf("evbind: %s: %u ok, %u wrong\n", role, nr_ok, nr_wrong);
}

/* Wait until *@p >= @v, 2 s at most, sleeping until an event or 200 us. */
static bool wait_for(volatile uint64_t *p, uint64_t v, const char *what)
{
    uint64_t until = mos_now_ns() + 2000000000UL;
    for (;;) {
        mos_irq_disable();
        if (*p >= v) {
            mos_irq_enable();
            __asm__ volatile("dmb ish" ::: "memory");
            return true;
        }
        if (mos_now_ns() > until) {
            mos_irq_enable();
            mos_printf("evbind: %s: timed out waiting for %s WRONG\n", role, what);
            nr_wrong++;
            return false;
        }
        mos_block(mos_now_ns() + 200000);
        mos_irq_enable();
    }
}

static void publish(volatile uint64_t *p, uint64_t v)
{
    __asm__ volatile("dmb ish" ::: "memory");
    *p = v;
}

static uint32_t obj(const char *name)
{
    struct mos_obj o;
    if (mos_obj_find(name, &o)) {
        mos_printf("evbind: %s: no object %s WRONG\n", role, name);
        nr_wrong++;
        return EMV_MAX_OBJS + 1;
    }
    return o.index;
}

/*
 * Ping-pong over @port: the pinger bumps `ping` and notifies, the ponger answers each ping
 * with the same count in `pong` and notifies back; both sleep until the event (poll first,
 * then look). Returns the round trips that came back right.
 */
static uint64_t pingpong(uint32_t port, bool pinger, uint64_t rounds)
{
    uint64_t good = 0, seen_bits = 0;
    for (uint64_t i = 1; i <= rounds; i++) {
        if (pinger) {
            publish(&rv->ping, i);
            if (mos_evtchn_notify(port))
                break;
        }
        volatile uint64_t *watch = pinger ? &rv->pong : &rv->ping;
        uint64_t until = mos_now_ns() + 500000000UL;
        for (;;) {
            mos_irq_disable();
            seen_bits |= mos_evtchn_poll();
            if (*watch >= i || mos_now_ns() > until) {
                mos_irq_enable();
                break;
            }
            mos_block(until);
            mos_irq_enable();
        }
        if (*watch != i)
            break; /* lost or duplicated: stop counting */
        if (!pinger) {
            publish(&rv->pong, i);
            if (mos_evtchn_notify(port))
                break;
        }
        good++;
    }
    expect("the port's pending bit was what raised the upcalls", (int64_t)(seen_bits >> port) & 1,
           1);
    return good;
}

static int count_obj(const struct mos_obj *o, void *ctx)
{
    (void)o;
    ++*(unsigned *)ctx;
    return 0;
}

/* The objects the config gave this VM: run-time ports are the indices from there up. */
static unsigned nr_objs(void)
{
    unsigned n = 0;
    mos_obj_each(count_obj, &n);
    return n;
}

static void left(void)
{
    uint32_t vm_right = obj("vm-right"), vm_third = obj("vm-third"), cfgch = obj("cfgch");
    int64_t p = mos_evtchn_alloc_unbound(vm_right);
    expect("alloc unbound for right: the first index past its objects", p, nr_objs());
    if (p < 0)
        return;
    expect("notify before right binds", mos_evtchn_notify((uint32_t)p), -EMV_EPIPE);
    publish(&rv->l_port, (uint64_t)p + 1);
    if (!wait_for(&rv->r_port, 1, "right's bind"))
        return;
    rv->pong = 0;
    uint64_t good = pingpong((uint32_t)p, true, ROUNDS);
    mos_printf("evbind: left: %lu of %u round trips with right across CPUs\n", good, ROUNDS);
    expect("round trips with right all right", (int64_t)good, ROUNDS);

    /* A grant named by the run-time port. */
    ((volatile uint64_t *)page)[0] = PATTERN;
    int64_t ref = mos_grant_create((uint32_t)p, (uint64_t)page, 1, EMV_GRANT_RO);
    expect("grant to right through the run-time port", ref >= 0, 1);
    publish(&rv->grant_ref, (uint64_t)ref + 1);
    wait_for(&rv->r_mapped, 1, "right's map");
    expect("revoke", mos_grant_revoke((uint32_t)ref), 0);

    expect("close the channel with right", mos_evtchn_close((uint32_t)p), 0);
    expect("notify a closed port", mos_evtchn_notify((uint32_t)p), -EMV_EINVAL);
    expect("close it again", mos_evtchn_close((uint32_t)p), -EMV_EINVAL);
    expect("mask a closed port", mos_evtchn_mask((uint32_t)p, true), -EMV_EINVAL);
    expect("close the config channel", mos_evtchn_close(cfgch), -EMV_EPERM);
    expect("close a VM object", mos_evtchn_close(vm_right), -EMV_EINVAL);
    publish(&rv->l_closed, 1);
    wait_for(&rv->r_step, 1, "right's notify after close");

    /* Same CPU, with third, once it is done being hostile. */
    wait_for(&rv->t_step, 2, "third's table-full test");
    int64_t q = mos_evtchn_alloc_unbound(vm_third);
    expect("alloc unbound for third", q >= 0, 1);
    rv->ping = rv->pong = 0;
    publish(&rv->lt_port, (uint64_t)q + 1);
    if (!wait_for(&rv->t_port, 1, "third's bind"))
        return;
    good = pingpong((uint32_t)q, true, ROUNDS);
    mos_printf("evbind: left: %lu of %u round trips with third on its CPU\n", good, ROUNDS);
    expect("round trips with third all right", (int64_t)good, ROUNDS);
    expect("close the channel with third", mos_evtchn_close((uint32_t)q), 0);
    publish(&rv->lt_closed, 1);

    /* Right binds a third channel and stops while bound. */
    int64_t s = mos_evtchn_alloc_unbound(vm_right);
    expect("alloc unbound for right again", s >= 0, 1);
    publish(&rv->l2_port, (uint64_t)s + 1);
    wait_for(&rv->r_step, 2, "right's second bind");
    uint64_t until = mos_now_ns() + 2000000000UL;
    int64_t r = 0;
    while ((r = mos_evtchn_notify((uint32_t)s)) == 0 && mos_now_ns() < until)
        mos_block(mos_now_ns() + 1000000);
    expect("notify after right stopped while bound", r, -EMV_EPIPE);
    expect("alloc unbound for the stopped right", mos_evtchn_alloc_unbound(vm_right), -EMV_EPIPE);
    expect("close the port right left unbound", mos_evtchn_close((uint32_t)s), 0);
    done();
}

static void right(void)
{
    uint32_t vm_left = obj("vm-left");
    if (!wait_for(&rv->l_port, 1, "left's port") || !wait_for(&rv->t_step, 1, "third's binds"))
        return;
    uint32_t lp = (uint32_t)rv->l_port - 1;
    int64_t p = mos_evtchn_bind(vm_left, lp);
    expect("bind left's port", p >= 0 && p < EMV_MAX_OBJS, 1);
    if (p < 0)
        return;
    expect("bind it twice", mos_evtchn_bind(vm_left, lp), -EMV_EEXIST);
    publish(&rv->r_port, (uint64_t)p + 1);
    uint64_t good = pingpong((uint32_t)p, false, ROUNDS);
    expect("pongs answered", (int64_t)good, ROUNDS);

    wait_for(&rv->grant_ref, 1, "left's grant");
    uint64_t ipa = 0;
    expect("map left's grant through the run-time port",
           mos_grant_map((uint32_t)p, (uint32_t)rv->grant_ref - 1, &ipa, 0, 0), 0);
    if (ipa)
        expect("the grant holds left's pattern", *(volatile uint64_t *)ipa == PATTERN, 1);
    expect("unmap", mos_grant_unmap(ipa), 0);
    publish(&rv->r_mapped, 1);

    wait_for(&rv->l_closed, 1, "left's close");
    expect("notify after left closed", mos_evtchn_notify((uint32_t)p), -EMV_EPIPE);
    expect("mask the unbound port", mos_evtchn_mask((uint32_t)p, true), 0);
    expect("close it", mos_evtchn_close((uint32_t)p), 0);
    publish(&rv->r_step, 1);

    wait_for(&rv->l2_port, 1, "left's second port");
    int64_t s = mos_evtchn_bind(vm_left, (uint32_t)rv->l2_port - 1);
    expect("bind left's second port", s >= 0, 1);
    done();
    mos_printf("evbind: right: stopping now, bound to left\n");
    publish(&rv->r_step, 2);
    mos_block(mos_now_ns() + 2000000); /* left is notifying by now */
    *(volatile uint64_t *)0x1000 = 1;  /* not mapped: stage-2 fault, the VM stops */
}

static void third(void)
{
    uint32_t vm_left = obj("vm-left"), vm_right = obj("vm-right"), rdv = obj("rdv");
    if (!wait_for(&rv->l_port, 1, "left's port"))
        return;
    uint32_t lp = (uint32_t)rv->l_port - 1;
    expect("bind a port left allocated for right", mos_evtchn_bind(vm_left, lp), -EMV_EPERM);
    expect("bind through vm-right (no EMV_RIGHT_BIND)", mos_evtchn_bind(vm_right, 0), -EMV_EPERM);
    expect("alloc through vm-right (no EMV_RIGHT_BIND)", mos_evtchn_alloc_unbound(vm_right),
           -EMV_EPERM);
    expect("bind through a region", mos_evtchn_bind(rdv, lp), -EMV_EINVAL);
    expect("bind through an index it does not have", mos_evtchn_bind(EMV_MAX_OBJS, lp),
           -EMV_EINVAL);
    expect("bind a free port of left's", mos_evtchn_bind(vm_left, EMV_MAX_OBJS - 1), -EMV_EINVAL);
    expect("bind a port past any table", mos_evtchn_bind(vm_left, EMV_MAX_OBJS), -EMV_EINVAL);
    expect("notify a port it does not have", mos_evtchn_notify(EMV_MAX_OBJS - 1), -EMV_EINVAL);
    expect("close a port it does not have", mos_evtchn_close(EMV_MAX_OBJS - 1), -EMV_EINVAL);
    publish(&rv->t_step, 1);

    /* A grant meant for right, mapped through a port of its own to left. */
    wait_for(&rv->grant_ref, 1, "left's grant");
    int64_t mine = mos_evtchn_alloc_unbound(vm_left);
    expect("map the grant left made for right",
           mos_grant_map((uint32_t)mine, (uint32_t)rv->grant_ref - 1, 0, 0, 0), -EMV_EPERM);
    expect("close that port", mos_evtchn_close((uint32_t)mine), 0);

    /* The table bounds its ports: every free index, then -EMV_ENOMEM. */
    unsigned objs = nr_objs(), n = 0;
    int64_t r, first = -1;
    while ((r = mos_evtchn_alloc_unbound(vm_left)) >= 0)
        first = first < 0 ? r : first, n++;
    expect("alloc until the table is full", r, -EMV_ENOMEM);
    expect("ports it got: every index past its objects", n, EMV_MAX_OBJS - objs);
    unsigned closed = 0;
    for (unsigned i = 0; first >= 0 && i < n; i++)
        closed += mos_evtchn_close((uint32_t)first + i) == 0;
    expect("closed them all", closed, n);
    rv->ping = rv->pong = 0;
    publish(&rv->t_step, 2);

    /* Honest now: the same CPU as left. */
    if (!wait_for(&rv->lt_port, 1, "left's port for third"))
        return;
    int64_t p = mos_evtchn_bind(vm_left, (uint32_t)rv->lt_port - 1);
    expect("bind left's port for third", p >= 0, 1);
    publish(&rv->t_port, (uint64_t)p + 1);
    uint64_t good = pingpong((uint32_t)p, false, ROUNDS);
    expect("pongs answered on the same CPU", (int64_t)good, ROUNDS);
    wait_for(&rv->lt_closed, 1, "left's close");
    expect("notify after left closed", mos_evtchn_notify((uint32_t)p), -EMV_EPIPE);
    expect("close its end, unbound now", mos_evtchn_close((uint32_t)p), 0);
    done();
}

void app_main(uint64_t bootarg)
{
    static const char *const roles[] = {"?", "left", "right", "third"};
    role = roles[bootarg < 4 ? bootarg : 0];
    mos_set_irq_handler(on_irq);
    mos_irq_enable();
    struct mos_obj r;
    if (mos_obj_find("rdv", &r) || r.size < sizeof(struct rdv)) {
        mos_printf("evbind: %s: no region rdv WRONG\n", role);
        return;
    }
    rv = (struct rdv *)r.ipa;
    if (bootarg == 1)
        left();
    else if (bootarg == 2)
        right();
    else if (bootarg == 3)
        third();
    for (;;)
        mos_block(0);
}
