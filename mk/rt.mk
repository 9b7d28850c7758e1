# SPDX-License-Identifier: MIT
# rt/: compositional real-time analysis (periodic resource model), the rtsa tool, their unit
# tests and benchmark. Tools that link the library reuse RT_SRCS / RT_HOST_OBJS.

RT_SRCS      := $(wildcard rt/*.c)
RT_HOST_OBJS := $(RT_SRCS:%.c=$(HOSTB)/%.o)

# The same sources must build for the hypervisor/guests: freestanding, no libc headers (only
# the compiler's own stdint/stddef/stdbool), no FP registers, and every undefined symbol must
# be defined inside rt/ (so no hidden libc or libgcc call slips in).
RT_FS_DIR    := $(HOSTB)/rt-freestanding
RT_FS_OBJS   := $(RT_SRCS:rt/%.c=$(RT_FS_DIR)/%.o)
RT_FS_STAMP  := $(RT_FS_DIR)/ok
RT_FS_CFLAGS  = -std=c11 -ffreestanding -nostdlib -nostdinc \
                -isystem $(shell $(CC_T) -print-file-name=include) -mgeneral-regs-only \
                -O2 -Wall -Wextra -Werror -Wshadow -Wvla -MMD -MP

RTSA_OBJS    := $(patsubst %.c,$(HOSTB)/%.o,$(wildcard tools/rtsa/*.c))
RTSA_LIB_OBJS := $(filter-out $(HOSTB)/tools/rtsa/main.o,$(RTSA_OBJS))
RT_SIM_OBJ   := $(HOSTB)/tests/unit/rt_sim.o
RT_TEST_OBJS := $(patsubst %.c,$(HOSTB)/%.o,$(wildcard tests/unit/test_rt*.c))
RT_TESTS     := $(RT_TEST_OBJS:$(HOSTB)/tests/unit/%.o=$(HOSTB)/%)
RT_BENCH_OBJ := $(HOSTB)/bench/rt_bench.o
RT_ALL_OBJS  := $(RT_HOST_OBJS) $(RTSA_OBJS) $(RT_SIM_OBJ) $(RT_TEST_OBJS) $(RT_BENCH_OBJ)

HOST_TOOLS    += $(HOSTB)/rtsa
UNIT_TESTS    += $(RT_TESTS)
BENCH_TARGETS += bench-rt

.PHONY: bench-rt rt-freestanding
rt-freestanding: $(RT_FS_STAMP)

$(RT_ALL_OBJS): $(HOSTB)/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -Itools/rtsa -Itests/unit -c $< -o $@

$(RT_FS_OBJS): $(RT_FS_DIR)/%.o: rt/%.c
	@mkdir -p $(@D)
	$(CC_T) $(RT_FS_CFLAGS) -c $< -o $@

$(RT_FS_STAMP): $(RT_FS_OBJS)
	@def=$$($(CROSS)nm --defined-only $^ | awk 'NF == 3 { print $$3 }'); \
	bad=""; for s in $$($(CROSS)nm -u $^ | awk 'NF == 2 { print $$2 }' | sort -u); do \
		echo "$$def" | grep -qx "$$s" || bad="$$bad $$s"; done; \
	if [ -n "$$bad" ]; then echo "rt: freestanding build needs external symbols:$$bad"; exit 1; fi
	@touch $@

$(HOSTB)/rtsa: $(RTSA_OBJS) $(RT_HOST_OBJS) | $(RT_FS_STAMP)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^

# test_rt_sim links the simulator, test_rt_parse the rtsa parser; linking both into every
# rt test keeps one rule.
$(RT_TESTS): $(HOSTB)/%: $(HOSTB)/tests/unit/%.o $(RT_SIM_OBJ) $(RTSA_LIB_OBJS) $(RT_HOST_OBJS) \
             | $(RT_FS_STAMP)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^ -lcmocka

$(HOSTB)/rt_bench: $(RT_BENCH_OBJ) $(RT_SIM_OBJ) $(RT_HOST_OBJS)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $^

bench-rt: $(HOSTB)/rt_bench
	@$(HOSTB)/rt_bench | $(PYTHON) scripts/bench_section.py rt-analysis

-include $(RT_ALL_OBJS:.o=.d) $(RT_FS_OBJS:.o=.d)
