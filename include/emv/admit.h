/* SPDX-License-Identifier: MIT */
/**
 * admit.h - the admission protocol between a guest and the control VM, carried on a ring of
 * the client's own (docs/abi.md, "Admission protocol"): the config gives the client an event
 * channel `admit-X` to the control VM and a region `admbuf-X` both map read-write; the region
 * holds a ring (include/emv/ring.h) of EMV_ADMIT_SLOT_SIZE-byte slots, the client its
 * front-end, the control VM its back-end. A request is a struct emv_admit_req in a slot, its
 * answer a struct emv_admit_resp in the same slot.
 *
 * A guest that wants to add or remove a periodic task sends its whole task set as it would
 * be after the change. The control VM computes the smallest budget that carries it (rt/
 * analysis, plus the measured per-period overhead), checks that every server on that
 * physical CPU still fits, and then either installs the new interface (EMV_HC_SCHED_SET)
 * and answers ADMITTED, or answers REFUSED with a reason the guest can print.
 *
 * A new component: a best-effort vCPU that wants real-time service sends its task set with
 * the server period it wants (period_us); if admitted it becomes a periodic server. A server
 * may also ask for another period the same way.
 */
#ifndef EMV_ADMIT_H
#define EMV_ADMIT_H

#include <stdint.h>

#include "emv/ring.h"

#define EMV_ADMIT_MAGIC 0x544d4441u /* "ADMT" */
#define EMV_ADMIT_MAX_TASKS 12

enum emv_admit_op { EMV_ADMIT_SET_TASKS = 1 };
enum emv_admit_result {
    EMV_ADMITTED = 0,
    EMV_REFUSED = 1,
    EMV_ADMIT_BAD_REQUEST = -1,
};

struct emv_admit_task {
    uint64_t period_us;
    uint64_t wcet_us;
};

struct emv_admit_req {
    uint32_t magic;
    uint32_t op;     /**< enum emv_admit_op */
    uint32_t vcpu;   /**< which of the sender's vCPUs (its periodic server) */
    uint32_t policy; /**< the guest's own scheduler: 0 EDF, 1 RM */
    uint32_t nr_tasks;
    uint32_t seq; /**< echoed in the answer */
    struct emv_admit_task tasks[EMV_ADMIT_MAX_TASKS];
    uint64_t period_us; /**< server period wanted; 0: keep the current one */
};

#define EMV_ADMIT_MIN_PERIOD_US 10ULL /**< the hypervisor's limits for a server period */
#define EMV_ADMIT_MAX_PERIOD_US 10000000ULL

struct emv_admit_resp {
    uint32_t magic;
    int32_t result; /**< enum emv_admit_result */
    uint32_t seq;
    uint32_t pad;
    uint64_t period_us; /**< the interface now installed (unchanged when refused) */
    uint64_t budget_us;
    uint64_t analysis_cycles; /**< what the admission test cost the control VM */
    char reason[96];
};

/** The ring's slot size: a request or an answer, whole, in one slot (8 in a 4 KiB region). */
#define EMV_ADMIT_SLOT_SIZE 256u

/** One slot of the admission ring, as the ring's *_slots calls move it. */
union emv_admit_slot {
    struct emv_admit_req req;
    struct emv_admit_resp resp;
    uint64_t words[EMV_ADMIT_SLOT_SIZE / 8];
};

_Static_assert(sizeof(union emv_admit_slot) == EMV_ADMIT_SLOT_SIZE, "a message fills a slot");
_Static_assert(EMV_ADMIT_SLOT_SIZE <= RING_SLOT_MAX, "a slot size the ring supports");

#endif
