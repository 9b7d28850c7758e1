/* SPDX-License-Identifier: MIT */
/**
 * seed.h - random seeds for guests: the board's entropy (on QEMU virt, the /chosen/rng-seed of
 * the device tree QEMU hands the hypervisor) turned into a key once at boot, and from it fresh,
 * distinct bytes for each VM start and restart (a Linux VM's /chosen/rng-seed, so Linux's RNG
 * is seeded before its first system call). Pure logic, host-tested (tests/unit/test_seed.c);
 * vmseed.c holds the key and does the logging.
 *
 * The derivation is the ChaCha20 block function (RFC 8439) keyed by the board's seed, with the
 * VM's id and a draw number (one per fill, never reused while the system runs) as the nonce:
 * two VMs, or two starts of one VM, never get the same bytes, and no VM's bytes tell anything
 * about another's or about the board's seed.
 */
#ifndef EMV_SEED_H
#define EMV_SEED_H

#include <stddef.h>
#include <stdint.h>

#define SEED_KEY_BYTES 32

/** Flattened device tree tokens (devicetree.org specification, ch. 5), for seed_fdt_nop_prop;
 *  the tree is read with lib/fdtread.h. */
#define SEED_FDT_NOP 4u
#define SEED_FDT_PROP_HDR 12u /* token, value length, name offset */

/**
 * Find the property @name of /chosen in the flattened device tree at @blob, of which at most
 * @avail bytes may be read (lib/fdtread.h's checked walk). On success returns 0 with the value's
 * offset from @blob in *@off and its length in *@len; -1 when the blob is not a well-formed device
 * tree within @avail (every offset and length is checked before use) or has no such property.
 */
int seed_fdt_chosen_prop(const uint8_t *blob, size_t avail, const char *name, uint32_t *off,
                         uint32_t *len);

/** The key from @n bytes of board entropy (folded in, any length; 0 bytes: all-zero key). */
void seed_key_from(uint8_t key[SEED_KEY_BYTES], const uint8_t *src, size_t n);

/** One ChaCha20 block (RFC 8439, 2.3): 64 bytes for @key, block @counter and @nonce. */
void seed_chacha20_block(const uint8_t key[SEED_KEY_BYTES], uint32_t counter,
                         const uint32_t nonce[3], uint8_t out[64]);

/** @n bytes for VM @vmid's draw number @draw into @dst. */
void seed_derive(const uint8_t key[SEED_KEY_BYTES], uint32_t vmid, uint64_t draw, uint8_t *dst,
                 size_t n);

/**
 * Take the property whose value is at @val_off (length @len) out of the device tree @blob by
 * overwriting the property with SEED_FDT_NOP tokens (which every reader skips): for a VM that
 * cannot be given real entropy, so that it does not take placeholder bytes for a seed.
 * @val_off must come from seed_fdt_chosen_prop or emvcfg (value offset, >= SEED_FDT_PROP_HDR).
 */
void seed_fdt_nop_prop(uint8_t *blob, uint32_t val_off, uint32_t len);

#endif
