# SPDX-License-Identifier: MIT
# guests/lib/ring.c, the I/O rings between VMs (include/emv/ring.h): the host unit test, and
# a freestanding AArch64 build as a guest would link it, which must need no outside symbol
# (no hidden memcpy or libgcc call). A guest that uses rings adds guests/lib/ring.c to its
# sources (mk/guests.mk: every minios guest does).

RING_SRC      := guests/lib/ring.c
RING_HDR      := include/emv/ring.h
RING_FS_OBJ   := $(HOSTB)/ring-freestanding/ring.o
RING_FS_STAMP := $(HOSTB)/ring-freestanding/ok

$(RING_FS_OBJ): $(RING_SRC) $(RING_HDR)
	@mkdir -p $(@D)
	$(CC_T) $(filter-out -MMD -MP,$(GUEST_CFLAGS)) -nostdinc \
	    -isystem $(shell $(CC_T) -print-file-name=include) -c $< -o $@

$(RING_FS_STAMP): $(RING_FS_OBJ)
	@u=$$($(CROSS)nm -u $<); \
	if [ -n "$$u" ]; then echo "ring: freestanding build needs external symbols: $$u"; exit 1; fi
	@touch $@

# -DRING_HOOK: the test runs a model of the peer between the library's index accesses.
$(HOSTB)/test_ring: tests/unit/test_ring.c $(RING_SRC) $(RING_HDR) | $(RING_FS_STAMP)
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -DRING_HOOK -o $@ \
	    tests/unit/test_ring.c $(RING_SRC) -lcmocka
UNIT_TESTS += $(HOSTB)/test_ring
