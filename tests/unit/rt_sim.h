/* SPDX-License-Identifier: MIT */
/**
 * rt_sim.h - discrete-time simulator of periodic tasks scheduled by EDF or RM inside a
 * periodic resource, used to test the rt/ analysis against executions (and by the benchmark
 * to report how pessimistic the analysis is).
 */
#ifndef EMV_RT_SIM_H
#define EMV_RT_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "rt.h"

#define RT_SIM_MAX_TASKS 16

/** How the resource hands out its budget inside each of its periods. */
enum rt_sim_supply {
    /** The sbf-achieving pattern, blackout starting at time 0: supply only in slots s with
     *  s >= 2(P-Q) and (s - 2(P-Q)) mod P < Q. Supply in [0, t) equals sbf(t) exactly. */
    RT_SIM_WORST,
    /** Resource periods [kP, (k+1)P) each get Q slots at seeded random positions. */
    RT_SIM_RANDOM,
};

/** One simulated run: every task released first at @offset, then periodically. */
struct rt_sim_run {
    enum rt_policy policy;
    struct rt_resource res;
    const struct rt_task *tasks;
    size_t n; /**< at most RT_SIM_MAX_TASKS */
    enum rt_sim_supply supply;
    uint64_t seed;     /**< RT_SIM_RANDOM only */
    rt_time_t offset;  /**< first release of every task */
    rt_time_t horizon; /**< simulate slots [0, horizon) and check deadlines <= it */
};

/** Result of a run. */
struct rt_sim_out {
    bool miss;         /**< some job missed its deadline */
    rt_time_t miss_at; /**< the first missed deadline */
    size_t miss_task;  /**< index of the task that missed it */
};

/** Simulate; false on invalid input (too many tasks, zero period, bad resource). */
bool rt_sim(const struct rt_sim_run *run, struct rt_sim_out *out);

/**
 * A horizon long enough for RT_SIM_WORST with synchronous release: after the blackout the
 * pattern repeats with P and the releases with H, so 2B + 2 lcm(H, P) + max period covers
 * every state twice. 0 if it would exceed @cap.
 */
rt_time_t rt_sim_horizon(const struct rt_resource *r, const struct rt_task *tasks, size_t n,
                         rt_time_t cap);

/** splitmix64: small, seedable, identical on every platform. */
uint64_t rt_sim_rand(uint64_t *state);

/** Counts from rt_sim_experiment. */
struct rt_sim_stats {
    unsigned sets;        /**< task sets analysed */
    unsigned sched;       /**< analysis: schedulable */
    unsigned unsound;     /**< analysis schedulable but some simulation missed (a bug) */
    unsigned unsched;     /**< analysis: unschedulable */
    unsigned pess_worst;  /**< ... yet no miss under RT_SIM_WORST at the critical instant */
    unsigned pess_random; /**< ... yet no miss in the random-supply runs (shows how much the
                               worst case costs against typical supply) */
};

/**
 * Analyse @count seeded random small task sets with @policy and simulate each under the worst
 * supply pattern (critical instant), other release offsets and random legal supplies.
 */
void rt_sim_experiment(uint64_t seed, unsigned count, enum rt_policy policy,
                       struct rt_sim_stats *st);

#endif
