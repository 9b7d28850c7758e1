# SPDX-License-Identifier: MIT
# The hypervisor image for one config: build/<CONFIG>/hyp.elf (+ .bin).

HYP_DIR    := $(BUILD)/$(CONFIG)
HYP_SRCS   := $(wildcard hyp/core/*.c hyp/core/sched/*.c hyp/lib/*.c hyp/drivers/*.c \
                hyp/arch/aarch64/*.c hyp/platform/$(PLATFORM)/*.c)
HYP_ASRCS  := $(wildcard hyp/arch/aarch64/*.S)
HYP_INC    := -Ihyp -Ihyp/core -Ihyp/include -Ihyp/lib -Ihyp/drivers -Ihyp/arch/aarch64 \
              -Ihyp/platform/$(PLATFORM) -Iinclude
HYP_CFLAGS := $(TGT_FLAGS) $(HYP_INC)
HYP_OBJDIR := $(BUILD)/hyp-obj
HYP_OBJS   := $(patsubst %.c,$(HYP_OBJDIR)/%.o,$(HYP_SRCS)) \
              $(patsubst %.S,$(HYP_OBJDIR)/%.o,$(filter-out %.ld.S,$(HYP_ASRCS)))

$(HYP_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_T) $(HYP_CFLAGS) -c $< -o $@

$(HYP_OBJDIR)/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC_T) $(HYP_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(HYP_OBJDIR)/hyp.ld: hyp/arch/aarch64/hyp.ld.S
	@mkdir -p $(dir $@)
	$(CC_T) -E -P -x c -D__ASSEMBLER__ $(HYP_INC) $< -o $@

# The config: configs/<CONFIG>.dts -> dtb -> checked -> config.c + images.S.
CONFIG_DTS := configs/$(CONFIG).dts

$(HYP_DIR)/config.dtb: $(CONFIG_DTS)
	@mkdir -p $(dir $@)
	dtc -q -I dts -O dtb -o $@ $<

# The checker knows the CPU count the system is built for (SMP, below): a vCPU pinned to a CPU
# that QEMU will not have is refused here. smp.stamp changes only when SMP does.
$(HYP_DIR)/smp.stamp: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = "$(SMP)" ] || echo "$(SMP)" > $@

$(HYP_DIR)/config.c $(HYP_DIR)/images.S &: $(HYP_DIR)/config.dtb $(EMVCFG) $(GUEST_BINS) $(BARE_BINS) \
                                          $(HYP_DIR)/smp.stamp
	$(EMVCFG) gen --source $(CONFIG_DTS) --name $(CONFIG) --cpus $(SMP) --out-c $(HYP_DIR)/config.c \
	    --out-s $(HYP_DIR)/images.S $<

$(HYP_DIR)/config.o: $(HYP_DIR)/config.c
	$(CC_T) $(HYP_CFLAGS) -c $< -o $@

$(HYP_DIR)/images.o: $(HYP_DIR)/images.S
	$(CC_T) $(HYP_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(HYP_DIR)/hyp.elf: $(HYP_OBJS) $(HYP_DIR)/config.o $(HYP_DIR)/images.o $(HYP_OBJDIR)/hyp.ld
	$(CC_T) $(TGT_FLAGS) -static -Wl,--gc-sections -Wl,-T,$(HYP_OBJDIR)/hyp.ld \
	    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -o $@ $(HYP_OBJS) $(HYP_DIR)/config.o $(HYP_DIR)/images.o -lgcc

hyp: $(HYP_DIR)/hyp.elf

.PHONY: FORCE
FORCE:

-include $(HYP_OBJS:.o=.d)

# QEMU: the board of hyp/platform/qemu-virt (virt with EL2 and GICv3, Cortex-A53). SMP and
# extra flags may be overridden.
QEMU      ?= qemu-system-aarch64
SMP       ?= 2
QEMU_ARGS := -M virt,virtualization=on,gic-version=3 -cpu cortex-a53 -smp $(SMP) -m 1G \
             -nographic -nic none $(QEMU_EXTRA)
# For a person at the terminal: the serial console multiplexed with QEMU's monitor, so that
# Ctrl-A x quits and Ctrl-A c reaches the monitor (without `mon:` QEMU has no escape keys).
TTY_ARGS  := -serial mon:stdio

# Deterministic time for the demo: with -icount shift=0,sleep=off QEMU's clock follows the
# instructions executed, so host load cannot make a real-time guest miss. RUN_ICOUNT= disables.
RUN_ICOUNT ?= -icount shift=0,sleep=off
# The full console log goes to $(RUN_LOG); the terminal shows it without the schedule trace
# lines, which tools/emvtrace.py turns into a Perfetto trace and a Gantt chart afterwards.
# The hypervisor keeps the whole demo run's trace (docs/trace.md); the Gantt chart draws the
# window RUN_SVG_MS of it (two numbers, ms since boot), the Perfetto trace all of it.
RUN_LOG   ?= $(BUILD)/run.log
RUN_SVG_MS ?= 4000 4080
# The terminal filter: everything but the trace lines (they are in $(RUN_LOG)).
RUN_FILTER ?= grep --line-buffered -v '^emv: trace '
RUN_QEMU   = $(QEMU) $(QEMU_ARGS) $(TTY_ARGS) $(RUN_ICOUNT) -kernel $(HYP_DIR)/hyp.elf
run: deps all
	@set -o pipefail; $(RUN_QEMU) | tee $(RUN_LOG) | $(RUN_FILTER)
	@if grep -q '^emv: trace ' $(RUN_LOG); then \
	    $(PYTHON) tools/emvtrace.py $(RUN_LOG) --summary --json $(RUN_LOG:.log=.json) \
	        --svg $(RUN_LOG:.log=.svg) --from-ms $(word 1,$(RUN_SVG_MS)) \
	        --to-ms $(word 2,$(RUN_SVG_MS)) && \
	    echo "schedule: $(RUN_LOG:.log=.json), all of the trace (open in ui.perfetto.dev);" \
	         "$(RUN_LOG:.log=.svg), a Gantt chart of $(word 1,$(RUN_SVG_MS))-$(word 2,$(RUN_SVG_MS)) ms"; fi
	@if grep -q '^emv: RESULT: .*FAILED' $(RUN_LOG); then \
	    echo "make run: the run FAILED: a VM of the config did not start (see 'not started')" >&2; \
	    exit 1; fi

# make debug: the very system of `make run` (same QEMU flags, -icount included, the same
# terminal filter; the full log in build/debug.log), stopped at its first instruction until
# gdb attaches on GDB_PORT. tests/cli/makerun.sh attaches gdb-multiarch to it.
# DEBUG_RAW=1 debugs the other way: no -icount (QEMU runs as fast as it can, guest time is
# host time) and every console line, trace included, on the terminal.
GDB_PORT  ?= 1234
DEBUG_RAW ?=
ifeq ($(DEBUG_RAW),1)
debug: RUN_ICOUNT :=
debug: RUN_FILTER := cat
endif
debug: deps all
	@echo "QEMU waits for gdb on :$(GDB_PORT). In another terminal:"
	@echo "  gdb-multiarch -ex 'target remote :$(GDB_PORT)' $(HYP_DIR)/hyp.elf"
	@set -o pipefail; $(RUN_QEMU) -S -gdb tcp::$(GDB_PORT) | tee $(BUILD)/debug.log | $(RUN_FILTER)
