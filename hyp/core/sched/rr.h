/* SPDX-License-Identifier: MIT */
/** rr.h - the best-effort FIFO shared by the round-robin and real-time policies. */
#ifndef EMV_SCHED_RR_H
#define EMV_SCHED_RR_H

#include "policy.h"

void fifo_push(struct runq *rq, struct sched_entity *se);
void fifo_remove(struct runq *rq, struct sched_entity *se);
struct sched_entity *fifo_pop(struct runq *rq);
struct sched_entity *rr_pick_fifo(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                  ns_t now);
void rr_init(struct runq *rq, ns_t slice_ns, unsigned rt_policy);
void rr_wake(struct runq *rq, struct sched_entity *se, ns_t now);
void rr_remove(struct runq *rq, struct sched_entity *se);

#endif
