/* SPDX-License-Identifier: MIT */
/** credit.h - the credit scheduler for best-effort vCPUs (used by rtsched.c). */
#ifndef EMV_SCHED_CREDIT_H
#define EMV_SCHED_CREDIT_H

#include "policy.h"

void credit_init(struct runq *rq, ns_t now);
void credit_wake(struct sched_entity *se);
void credit_charge(struct runq *rq, struct sched_entity *ran, ns_t now);
/** The best-effort entity to run from @now (@cur may continue), or NULL. */
struct sched_entity *credit_pick(struct runq *rq, struct sched_entity *cur, enum sched_cur how,
                                 ns_t now);

#endif
