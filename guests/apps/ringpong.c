/* SPDX-License-Identifier: MIT */
/*
 * ringpong.c - pingpong.c's server and clients over I/O rings (include/emv/ring.h): each
 * channel end "ping-X" pairs with region "ring-X", which holds one ring (32 slots in 4 KiB).
 * A request carries an id and a value v, its response v's answer 3v + 1.
 *
 * bootarg 0: the server. It takes each client's requests in batches, answers them, pushes and
 * notifies only when the ring says so, and re-arms with final_check before sleeping. A client
 * that breaks the ring or the protocol is logged once, masked and never looked at again.
 * Otherwise a client:
 *   bits 0-15   requests to make (ids 1..n)
 *   bits 16-23  batch size, 1..32 (0 means 1): put a batch, push, notify if needed, wait for
 *               all its responses, check each (right answer, none lost, none duplicated)
 *   bits 24-27  hostile kind (HOSTILE_*): after some honest requests, break the ring that way
 *   bit 28      benchmark: event latency samples, then n requests at batches 1, 8 and 32,
 *               then power off (the benchmark VM is the control VM)
 */
#include "minios.h"

#include "emv/ring.h"
#include "string.h"

#define OP_ANSWER 1 /* data: v; response data: 3v + 1 */
#define OP_STATS 2  /* response data: what the server did for this client (struct srv_stats) */
#define OP_STAMP 3  /* response data: the cycle count at the server's last upcall */
#define VAL_LEN 8
#define BATCH_MAX 32 /* the slots of a 4 KiB ring */

#define HOSTILE_AHEAD 1  /* producer index far ahead */
#define HOSTILE_BEHIND 2 /* producer index moved back */
#define HOSTILE_OVER 3   /* one request more than the ring holds */
#define HOSTILE_LEN 4    /* a well-formed ring carrying a request with a garbage length */

#define GIVE_UP_NS 100000000 /* a response later than this after its batch is lost */

static volatile uint64_t upcalls, upcall_stamp;

/* The first thing the upcall does is read the clock: the far end of the latency benchmark. */
static void on_irq(uint32_t irq)
{
    uint64_t now = mos_cycles();
    if (irq == EMV_VIRQ_EVENT) {
        upcall_stamp = now;
        upcalls++;
    }
}

static uint64_t value_of(uint64_t id)
{
    return id * 2654435761u;
}

static uint64_t answer(uint64_t v)
{
    return 3 * v + 1;
}

static uint64_t word(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* ---- server ---------------------------------------------------------------------------- */

/* What the server did for one client, OP_STATS and OP_STAMP round trips left out: a client
 * sends those alone (each answered before anything else is pushed), so they never share a
 * push with the requests they would skew. */
struct srv_stats {
    uint64_t notified; /* notifications sent to the client */
    uint64_t answered; /* OP_ANSWER requests answered */
    uint64_t wakeups;  /* times its port was found pending */
    uint64_t rearms;   /* final checks: each may ask for one more notification */
};

#define MAX_CLIENTS 8

static struct client {
    uint32_t port;
    bool cut; /* cut off: its ring is never touched again */
    char peer[16];
    struct ring_back ring;
    struct srv_stats st;
} clients[MAX_CLIENTS];
static unsigned nr_clients;
static struct ring_req reqs[BATCH_MAX];
static struct ring_rsp rsps[BATCH_MAX];

static int pair(const struct mos_obj *o, void *ctx)
{
    (void)ctx;
    struct mos_obj r;
    int found = nr_clients < MAX_CLIENTS ? mos_obj_region_of(o, "ping-", "ring-", &r) : -1;
    if (found == -1)
        return 0;
    struct client *c = &clients[nr_clients];
    if (found || ring_back_init(&c->ring, (void *)r.ipa, r.size, 0)) {
        mos_printf("ringpong: no usable region ring-%s for channel %s\n", o->name + 5, o->name);
        return 0;
    }
    c->port = o->index;
    memcpy(c->peer, o->peer, sizeof c->peer);
    nr_clients++;
    mos_printf("ringpong: serving %s (port %u, %u-slot ring at %#lx) for %s\n", o->name, o->index,
               ring_slots(r.size), r.ipa, o->peer);
    return 0;
}

static const char *ring_violation(int err)
{
    switch (err) {
    case -RING_EAHEAD:
        return "producer ahead";
    case -RING_EBEHIND:
        return "producer behind";
    case -RING_EUNSOL:
        return "unsolicited";
    default:
        return "ring broken";
    }
}

/* One line, then silence: the port is masked and the ring is never read or written again. */
static void cut_off(struct client *c, const char *why)
{
    c->cut = true;
    mos_evtchn_mask(c->port, true);
    mos_printf("ringpong: client %s broke the ring (%s): cut off\n", c->peer, why);
}

/* Answer one request copied out of the ring; a reason if the client broke the protocol. */
static const char *respond(struct client *c, const struct ring_req *q, struct ring_rsp *r)
{
    memset(r, 0, sizeof *r);
    r->id = q->id;
    uint64_t v;
    switch (q->op) {
    case OP_ANSWER:
        if (q->len != VAL_LEN)
            return "bad request length";
        v = answer(word(q->data));
        break;
    case OP_STATS:
    case OP_STAMP:
        if (q->len != 0)
            return "bad request length";
        if (q->op == OP_STATS) {
            memcpy(r->data, &c->st, sizeof c->st);
            r->len = sizeof c->st;
            return 0;
        }
        v = upcall_stamp;
        break;
    default:
        return "bad request op";
    }
    memcpy(r->data, &v, sizeof v);
    r->len = VAL_LEN;
    return 0;
}

/* Answer a batch; false (after cutting the client off) if one request broke the protocol. */
static bool answer_batch(struct client *c, int n)
{
    for (int i = 0; i < n; i++) {
        const char *bad = respond(c, &reqs[i], &rsps[i]);
        if (bad) {
            cut_off(c, bad);
            return false;
        }
    }
    bool counted = reqs[0].op == OP_ANSWER;
    ring_back_put(&c->ring, rsps, (uint32_t)n);
    if (counted)
        c->st.answered += (uint64_t)n;
    if (ring_back_push(&c->ring) > 0) {
        mos_evtchn_notify(c->port);
        c->st.notified += counted;
    }
    return true;
}

/* Takes per client per round: a client that keeps its ring full must not starve the others. */
#define ROUND 4

/* Until the ring is dry and re-armed (a request pushed after final_check notifies us), or
 * for ROUND takes: true if requests may be left, to be served next round unasked. */
static bool serve_client(struct client *c)
{
    c->st.wakeups++;
    for (unsigned takes = 0; takes < ROUND; takes++) {
        int n = ring_back_take(&c->ring, reqs, BATCH_MAX);
        if (n == 0) {
            n = ring_back_final_check(&c->ring); /* 1: more came before the re-arm */
            c->st.rearms++;
            if (n > 0)
                continue;
            if (n == 0)
                return false;
        }
        if (n < 0) {
            cut_off(c, ring_violation(n));
            return false;
        }
        if (!answer_batch(c, n))
            return false;
    }
    return true;
}

static void serve(void)
{
    mos_obj_each(pair, 0);
    uint64_t busy = 0; /* ports of clients left with work at the end of their round */
    for (;;) {
        mos_irq_disable();
        uint64_t pend = mos_evtchn_poll() | busy; /* first poll, then look, then sleep */
        busy = 0;
        for (unsigned i = 0; i < nr_clients; i++)
            if (!clients[i].cut && ((pend >> clients[i].port) & 1) && serve_client(&clients[i]))
                busy |= 1ull << clients[i].port;
        if (!busy)
            mos_block(0); /* returns at once if a notification came meanwhile */
        mos_irq_enable(); /* takes it */
    }
}

/* ---- client ---------------------------------------------------------------------------- */

struct run {
    uint32_t n, batch;
    uint64_t wrong, lost, dup, notifies, batches;
    uint64_t rearms; /* final checks: each may ask the server for one notification */
    uint64_t cyc_min, cyc_max, cyc_sum; /* per batch: put .. its last response taken */
};

static struct ring_front front;
static uint32_t port;
static uint64_t next_id = 1;

/* Poll, look once more (re-arming rsp_event), then sleep: the order that loses no wake-up.
 * False once @give_up has passed with nothing to take. */
static bool wait_for(struct run *r, uint64_t give_up)
{
    r->rearms++;
    mos_irq_disable();
    mos_evtchn_poll();
    int more = ring_front_final_check(&front);
    if (more == 0 && mos_now_ns() < give_up)
        mos_block(give_up);
    mos_irq_enable(); /* takes the upcall, if that is what woke us */
    return more != 0 || mos_now_ns() < give_up;
}

/* Responses to requests first .. first + k - 1 into out[id - first]; returns how many came
 * before the give-up time. Duplicates and ids never asked for are counted in @r. */
static uint32_t collect(struct run *r, struct ring_rsp *out, uint64_t first, uint32_t k)
{
    static struct ring_rsp got[BATCH_MAX];
    uint32_t have = 0, mask = 0;
    uint64_t give_up = mos_now_ns() + GIVE_UP_NS;
    while (have < k) {
        int n = ring_front_take(&front, got, BATCH_MAX);
        if (n < 0) {
            mos_printf("ringpong: the server broke the ring (error %d)\n", -n);
            break;
        }
        for (int i = 0; i < n; i++) {
            uint64_t j = got[i].id - first;
            if (got[i].id < first || (j < k && ((mask >> j) & 1)))
                r->dup++; /* answered already, in this batch or an earlier one */
            else if (j >= k)
                r->wrong++; /* an id never sent */
            else
                mask |= 1u << j, out[j] = got[i], have++;
        }
        if (n == 0 && !wait_for(r, give_up))
            break;
    }
    return have;
}

/* Build @k requests of @op with fresh ids into q; returns the first id. */
static uint64_t build(struct ring_req *q, uint32_t op, uint32_t k)
{
    uint64_t first = next_id;
    for (uint32_t j = 0; j < k; j++) {
        memset(&q[j], 0, sizeof q[j]);
        q[j].id = next_id++;
        q[j].op = op;
        if (op == OP_ANSWER) {
            uint64_t v = value_of(q[j].id);
            memcpy(q[j].data, &v, sizeof v);
            q[j].len = VAL_LEN;
        }
    }
    return first;
}

/* One batch: put, push, notify if the server asked for it, wait for all answers. */
static uint32_t transact(struct run *r, uint32_t op, uint32_t k, struct ring_rsp *out)
{
    static struct ring_req q[BATCH_MAX];
    uint64_t first = build(q, op, k);
    if (ring_front_put(&front, q, k) != (int)k)
        return 0; /* cannot happen: every batch is answered before the next */
    if (ring_front_push(&front) > 0) {
        mos_evtchn_notify(port);
        r->notifies++;
    }
    r->batches++;
    return collect(r, out, first, k);
}

static void account(struct run *r, uint64_t cycles)
{
    r->cyc_sum += cycles;
    if (cycles < r->cyc_min || !r->cyc_min)
        r->cyc_min = cycles;
    if (cycles > r->cyc_max)
        r->cyc_max = cycles;
}

/* r->n requests, r->batch at a time, every answer checked; stops at the first loss. */
static void requests(struct run *r)
{
    static struct ring_rsp out[BATCH_MAX];
    for (uint32_t done = 0; done < r->n && !r->lost; done += r->batch) {
        uint32_t k = r->n - done < r->batch ? r->n - done : r->batch;
        uint64_t t0 = mos_cycles();
        uint32_t got = transact(r, OP_ANSWER, k, out);
        account(r, mos_cycles() - t0);
        r->lost += k - got;
        for (uint32_t j = 0; j < got && got == k; j++)
            if (out[j].status || out[j].len != VAL_LEN ||
                word(out[j].data) != answer(value_of(out[j].id)))
                r->wrong++;
    }
}

/* What the server did for us so far (an OP_STATS round trip, not counted in any run). */
static struct srv_stats server_stats(void)
{
    struct run r = {0};
    struct ring_rsp out;
    struct srv_stats s = {0};
    if (transact(&r, OP_STATS, 1, &out) == 1 && out.len == sizeof s)
        memcpy(&s, out.data, sizeof s);
    return s;
}

/* A checked run of @n requests in batches of @batch, with one report line for it. */
static void measured_run(uint32_t n, uint32_t batch)
{
    struct run r = {.n = n, .batch = batch};
    struct srv_stats s0 = server_stats();
    uint64_t up0 = upcalls;
    requests(&r);
    uint64_t up = upcalls - up0;
    struct srv_stats s1 = server_stats();
    /* Short lines: the console breaks longer ones. */
    mos_printf("ringpong: %u requests in batches of %u: %lu wrong, %lu lost, %lu duplicated\n", n,
               batch, r.wrong, r.lost, r.dup);
    mos_printf("ringpong: batch %u: %lu batches, %lu answered, notifications %lu to the server, "
               "%lu from it, %lu upcalls\n",
               batch, r.batches, s1.answered - s0.answered, r.notifies, s1.notified - s0.notified,
               up);
    mos_printf("ringpong: batch %u: re-armed %lu times by the server, %lu by us\n", batch,
               s1.rearms - s0.rearms, r.rearms);
    mos_printf("ringpong: batch %u: cycles per batch min %lu avg %lu max %lu sum %lu\n", batch,
               r.cyc_min, r.cyc_sum / (r.batches ? r.batches : 1), r.cyc_max, r.cyc_sum);
}

/* ---- client: benchmark ----------------------------------------------------------------- */

static void pause_ns(uint64_t ns)
{
    uint64_t until = mos_now_ns() + ns;
    while (mos_now_ns() < until)
        mos_block(until);
}

#define LAT_SAMPLES 1000
static uint64_t lat[LAT_SAMPLES];

/* Event latency: our clock just before the notify hypercall against the server's at the
 * start of its upcall, which it returns in the answer to the stamp request. The pause first
 * lets the server finish the last answer and go to sleep, so every sample wakes it. */
static void latency(void)
{
    struct run r = {0};
    static struct ring_req q;
    struct ring_rsp out;
    unsigned bad = 0;
    for (unsigned i = 0; i < LAT_SAMPLES; i++) {
        pause_ns(20000);
        uint64_t first = build(&q, OP_STAMP, 1);
        ring_front_put(&front, &q, 1);
        ring_front_push(&front); /* notified below in any case: that is the measurement */
        uint64_t t0 = mos_cycles();
        mos_evtchn_notify(port);
        if (collect(&r, &out, first, 1) != 1 || word(out.data) <= t0)
            bad++;
        lat[i] = word(out.data) - t0;
    }
    for (unsigned i = 0; i < LAT_SAMPLES; i += 8)
        mos_printf("ringpong: latency %lu %lu %lu %lu %lu %lu %lu %lu\n", lat[i], lat[i + 1],
                   lat[i + 2], lat[i + 3], lat[i + 4], lat[i + 5], lat[i + 6], lat[i + 7]);
    mos_printf("ringpong: latency samples %u, bad %u\n", LAT_SAMPLES, bad);
}

static void bench(uint32_t n)
{
    static const uint32_t batches[] = {1, 8, 32};
    latency();
    for (unsigned i = 0; i < sizeof batches / sizeof batches[0]; i++)
        measured_run(n, batches[i]);
    mos_printf("ringpong: bench done\n");
    hvc(EMV_HC_SYSTEM_OFF, 0, 0);
}

/* ---- client: hostile ------------------------------------------------------------------- */

static uint64_t rnd = 88172645463325252u;
static uint64_t xorshift(void)
{
    return mos_xorshift(&rnd);
}

/* Garbage in every slot: whatever the server might copy out of them. */
static void scribble_slots(void)
{
    for (uint32_t s = 0; s <= front.mask; s++)
        for (unsigned w = 0; w < RING_SLOT_SIZE / 8; w++)
            front.sh->slot[s].words[w] = xorshift();
}

/* Break the ring the way @kind says; returns what was done. */
static const char *violate(unsigned kind)
{
    volatile struct ring_shared *sh = front.sh;
    struct ring_req q;
    switch (kind) {
    case HOSTILE_AHEAD:
        sh->req_prod = front.req_pushed + 0x10000;
        return "producer 65536 ahead";
    case HOSTILE_BEHIND:
        sh->req_prod = front.req_pushed - 7;
        return "producer 7 behind";
    case HOSTILE_OVER: /* all answered: one more than the slots is in flight */
        scribble_slots();
        sh->req_prod = front.req_pushed + front.mask + 2;
        return "one request more than the ring holds";
    default:
        build(&q, OP_ANSWER, 1);
        q.len = 0xdeadbeef;
        ring_front_put(&front, &q, 1);
        ring_front_push(&front);
        return "a request with length 0xdeadbeef";
    }
}

/* After the violation the server must leave the ring alone, whatever we do to it. */
static void storm(unsigned times)
{
    volatile struct ring_shared *sh = front.sh;
    for (unsigned i = 0; i < times; i++) {
        scribble_slots();
        sh->req_prod = (uint32_t)xorshift();
        sh->rsp_event = (uint32_t)xorshift();
        mos_evtchn_notify(port);
    }
}

static void hostile(unsigned kind)
{
    struct run r = {.n = 100, .batch = 4};
    requests(&r);
    mos_printf("ringpong: hostile: 100 honest requests first: %lu wrong, %lu lost\n", r.wrong,
               r.lost);
    const char *what = violate(kind);
    mos_evtchn_notify(port);
    mos_printf("ringpong: hostile: %s, notified\n", what);
    pause_ns(10000000);
    uint32_t rsp_prod = front.sh->rsp_prod, req_event = front.sh->req_event;
    storm(1000);
    pause_ns(10000000);
    bool same = rsp_prod == front.sh->rsp_prod && req_event == front.sh->req_event;
    mos_printf("ringpong: hostile: 1000 scribbles and notifications later the server's indices "
               "are %s\n",
               same ? "untouched" : "changed");
}

/* ---- client: setup --------------------------------------------------------------------- */

static void client(uint64_t arg)
{
    struct mos_obj ring, ch;
    if (mos_obj_first(EMV_OBJ_SHMEM, 0, &ring) || mos_obj_first(EMV_OBJ_EVTCHN, 0, &ch) ||
        ring_front_init(&front, (void *)ring.ipa, ring.size, 0)) {
        mos_printf("ringpong: no usable region or channel in the boot information\n");
        return;
    }
    port = ch.index;
    uint32_t n = arg & 0xffff, batch = (arg >> 16) & 0xff;
    unsigned kind = (arg >> 24) & 0xf;
    batch = batch == 0 ? 1 : batch > BATCH_MAX ? BATCH_MAX : batch;
    mos_printf("ringpong: %s of %s over %s (%u slots)\n", kind ? "hostile client" : "client",
               ch.peer, ring.name, front.mask + 1);
    if (arg & (1u << 28))
        bench(n);
    else if (kind)
        hostile(kind);
    else
        measured_run(n, batch);
}

void app_main(uint64_t bootarg)
{
    mos_set_irq_handler(on_irq);
    mos_irq_enable();
    if (bootarg)
        client(bootarg);
    else
        serve();
    for (;;)
        mos_block(0);
}
