/* SPDX-License-Identifier: MIT */
/* vmreset.c - restarting one VM: the phases and the memory load by pieces (vmreset.h). Pure. */
#include "core/vmreset.h"
#include "string.h"

#define RUN_SHIFT 18
#define WORD(run, phase, left) ((run) << RUN_SHIFT | (uint32_t)(phase) << 16 | (left))
#define RUN(w) ((w) >> RUN_SHIFT)
#define PHASE(w) (((w) >> 16) & 3)

static uint32_t word(const struct vmreset *r)
{
    return __atomic_load_n(&r->word, __ATOMIC_SEQ_CST);
}

bool vmreset_begin(struct vmreset *r, unsigned nr_vcpus)
{
    uint32_t w = word(r);
    if (PHASE(w) != VMRESET_NONE)
        return false;
    uint32_t run = (RUN(w) + 1) & ((1u << (32 - RUN_SHIFT)) - 1);
    return __atomic_compare_exchange_n(&r->word, &w, WORD(run, VMRESET_PARKING, nr_vcpus), false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

bool vmreset_parked(struct vmreset *r)
{
    uint32_t w = __atomic_sub_fetch(&r->word, 1, __ATOMIC_SEQ_CST);
    return w == WORD(RUN(w), VMRESET_PARKING, 0);
}

void vmreset_loading(struct vmreset *r)
{
    r->done = 0;
    __atomic_store_n(&r->word, WORD(RUN(word(r)), VMRESET_LOADING, 0), __ATOMIC_SEQ_CST);
}

enum vmreset_phase vmreset_phase(const struct vmreset *r)
{
    return (enum vmreset_phase)PHASE(word(r));
}

bool vmreset_cpu_on_ticket(const struct vmreset *r, uint32_t *ticket)
{
    uint32_t w = word(r);
    *ticket = RUN(w);
    return PHASE(w) == VMRESET_NONE;
}

bool vmreset_ticket_valid(const struct vmreset *r, uint32_t ticket)
{
    uint32_t w = word(r);
    return PHASE(w) == VMRESET_NONE && RUN(w) == ticket;
}

bool vmreset_next_piece(struct vmreset *r, uint64_t ram_size, uint64_t *off, uint64_t *len)
{
    if (r->done >= ram_size)
        return false;
    *off = r->done;
    *len = ram_size - r->done < VMRESET_PIECE ? ram_size - r->done : VMRESET_PIECE;
    r->done += *len;
    return true;
}

void vmreset_end(struct vmreset *r)
{
    __atomic_store_n(&r->word, WORD(RUN(word(r)), VMRESET_NONE, 0), __ATOMIC_SEQ_CST);
}

void vmload_range(uint8_t *ram, const struct vmload_seg *segs, unsigned n, uint64_t off,
                  uint64_t len)
{
    uint64_t end = off + len;
    while (off < end) {
        /* The segment at or after @off that starts first, if it starts before @end. */
        const struct vmload_seg *s = 0;
        for (unsigned i = 0; i < n; i++)
            if (segs[i].size && segs[i].off + segs[i].size > off && segs[i].off < end &&
                (!s || segs[i].off < s->off))
                s = &segs[i];
        uint64_t zero_to = s ? (s->off > off ? s->off : off) : end;
        memset(ram + off, 0, zero_to - off);
        off = zero_to;
        if (!s)
            break;
        uint64_t to = s->off + s->size < end ? s->off + s->size : end;
        memcpy(ram + off, s->src + (off - s->off), to - off);
        off = to;
    }
}
