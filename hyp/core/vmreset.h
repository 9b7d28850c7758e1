/* SPDX-License-Identifier: MIT */
/**
 * vmreset.h - restarting one VM while the rest of the system runs on: the decisions, as pure
 * logic (vmreset.c, tested on the host); vm.c and sched.c act on them.
 *
 * A restart goes through three phases, in one atomic word (the run's number, the phase and a
 * count; every restart starts a new run):
 *  - PARKING: every vCPU of the VM is powered off by its own CPU at that CPU's next scheduling
 *    decision (the restart kicks them); the count is the vCPUs not parked yet. The CPU that
 *    parks the last one resets the VM's state (grants, event channels, IPC, vGIC, device
 *    interrupts) and starts vCPU 0 as PSCI CPU_ON does.
 *  - LOADING: vCPU 0, scheduled on its own time (its server's budget or its best-effort share),
 *    loads the VM's memory a bounded piece at a time (image, initramfs and boot information
 *    where the config puts them, zeros between), checking for interrupts and a scheduling
 *    decision between pieces; after the last piece it enters the guest at its entry point.
 *  - NONE: running normally.
 * A second restart asked while one is in progress joins it (nothing to do); CPU_ON is refused
 * (PSCI DENIED) until the restart is over.
 */
#ifndef EMV_VMRESET_H
#define EMV_VMRESET_H

#include <stdbool.h>
#include <stdint.h>

enum vmreset_phase { VMRESET_NONE, VMRESET_PARKING, VMRESET_LOADING };

/** Bytes of guest memory loaded per piece: the longest stretch a restart keeps a CPU with
 *  interrupts masked (measured in docs/architecture.md, "Restarting a VM"). */
#define VMRESET_PIECE (64u * 1024)

struct vmreset {
    uint32_t word;  /**< run << 18 | phase << 16 | vCPUs still to park (atomic) */
    uint64_t done;  /**< LOADING: bytes of memory loaded (vCPU 0's CPU only) */
    uint64_t t0_ns; /**< when the restart was asked (statistics) */
    uint64_t pieces, piece_max_ns;
    uint64_t reset_ns; /**< how long the reset of the VM's state took (vm_restart_parked) */
};

/** Start a restart of a VM of @nr_vcpus vCPUs. True: this call started it; false: one is in
 *  progress already (the call joins it). */
bool vmreset_begin(struct vmreset *r, unsigned nr_vcpus);

/** One vCPU is parked. True for the last one: its caller resets the VM and calls
 *  vmreset_loading(). */
bool vmreset_parked(struct vmreset *r);

/** All vCPUs are parked and the VM's state reset: vCPU 0 loads its memory from now on. */
void vmreset_loading(struct vmreset *r);

enum vmreset_phase vmreset_phase(const struct vmreset *r);

/** May PSCI CPU_ON start a vCPU now (no restart in progress)? */
static inline bool vmreset_cpu_on_allowed(const struct vmreset *r)
{
    return vmreset_phase(r) == VMRESET_NONE;
}

/**
 * CPU_ON, on the caller's CPU: false while a restart is in progress (DENIED); else *@ticket
 * names the VM's current run. The target's CPU starts the vCPU only if the ticket is still
 * valid then (vmreset_ticket_valid): a CPU_ON that raced with a restart, even one its target's
 * CPU acts on only after the restart is over, never starts a vCPU of the new run.
 */
bool vmreset_cpu_on_ticket(const struct vmreset *r, uint32_t *ticket);
bool vmreset_ticket_valid(const struct vmreset *r, uint32_t ticket);

/**
 * The next piece of @ram_size bytes to load: [*off, *off + *len), at most VMRESET_PIECE bytes,
 * and counts it as done. False when everything is loaded (the caller then enters the guest and
 * calls vmreset_end()).
 */
bool vmreset_next_piece(struct vmreset *r, uint64_t ram_size, uint64_t *off, uint64_t *len);

/** The restart is over: CPU_ON and new restarts are allowed again. */
void vmreset_end(struct vmreset *r);

/** A part of a VM's memory with given contents (the image, the initramfs, the boot
 *  information): @size bytes of @src at byte @off of its RAM. Everything else is zero. */
struct vmload_seg {
    uint64_t off, size;
    const uint8_t *src;
};

/**
 * Fill [@off, @off + @len) of the VM's memory @ram with what belongs there: the bytes of the
 * segments @segs (@n, not overlapping, any order) that fall in the range, zeros elsewhere.
 * Loading a VM's memory in pieces gives the same bytes as loading it in one go.
 */
void vmload_range(uint8_t *ram, const struct vmload_seg *segs, unsigned n, uint64_t off,
                  uint64_t len);

#endif
