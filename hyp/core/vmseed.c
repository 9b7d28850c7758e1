/* SPDX-License-Identifier: MIT */
/*
 * vmseed.c - guests' random seeds from the board's entropy (vmseed.h, core/seed.h).
 *
 * The board's source on QEMU virt is the /chosen/rng-seed of the device tree QEMU writes for
 * the machine (32 random bytes each run, unless `-M virt,dtb-randomness=off`). QEMU passes its
 * address in x0 only to a raw-binary kernel; for the hypervisor's ELF image x0 is 0 and the tree
 * sits at the RAM base (board.h: PLAT_FW_DTB_BASE). Its bytes become a key once; the copy in
 * memory is wiped, and each fill draws a fresh block for (VM id, draw number), so VMs never
 * share a seed and a restarted VM does not get its old one.
 */
#include "core/seed.h"
#include "core/vmseed.h"
#include "board.h"
#include "hyp.h"
#include "string.h"

static uint8_t key[SEED_KEY_BYTES];
static bool have_entropy;
static uint64_t draws; /* one per fill, atomically: VMs restart on any CPU */

void vmseed_init(uint64_t fw_dtb)
{
    uint8_t *dtb = (uint8_t *)(fw_dtb ? fw_dtb : PLAT_FW_DTB_BASE);
    uint32_t off, len;
    if (seed_fdt_chosen_prop(dtb, PLAT_FW_DTB_MAX, "rng-seed", &off, &len) || len < 16) {
        hyp_log("no board entropy: the firmware device tree at %#lx has no /chosen/rng-seed "
                "(QEMU: -M virt,dtb-randomness=off?); Linux VMs boot without an rng-seed, "
                "their RNG unseeded",
                (unsigned long)dtb);
        return;
    }
    seed_key_from(key, dtb + off, len);
    memset(dtb + off, 0, len); /* used once: no later reader finds it */
    have_entropy = true;
    hyp_log("entropy: %u bytes from /chosen/rng-seed of the firmware device tree at %#lx", len,
            (unsigned long)dtb);
}

void vmseed_fill(const struct vm *vm, uint8_t *bootinfo)
{
    const struct emv_vm_cfg *c = vm->cfg;
    if (!c->rng_seed_len)
        return;
    if (!have_entropy) {
        seed_fdt_nop_prop(bootinfo, c->rng_seed_off, c->rng_seed_len);
        return;
    }
    uint64_t draw = __atomic_fetch_add(&draws, 1, __ATOMIC_RELAXED);
    seed_derive(key, vm->id, draw, bootinfo + c->rng_seed_off, c->rng_seed_len);
}
