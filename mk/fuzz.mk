# SPDX-License-Identifier: MIT
# libFuzzer targets (clang): tests/fuzz/fuzz_*.c against the very sources the guests and the
# hypervisor build. `make fuzz` builds them and runs each briefly; tests/cli/fuzz.sh runs the
# same short runs as TAP inside `make test`; `make fuzz-long` runs each for FUZZ_LONG_RUNS
# inputs and records the result in the `fuzz` section of docs/benchmarks.md, which `make bench`
# keeps (bench_section.py rewrites only its own section) but does not rerun: ~16 minutes.

FUZZ_CC        ?= clang
FUZZ_B         := $(BUILD)/fuzz
FUZZ_CFLAGS    := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
                  -fno-sanitize-recover=undefined $(WARN) -D_DEFAULT_SOURCE -Iinclude
FUZZ_TARGETS   := $(FUZZ_B)/fuzz_ring $(FUZZ_B)/fuzz_hc_decode
FUZZ_LONG_RUNS ?= 10000000

# (mk/ring.mk is read after this file: its variables are not set yet.)
$(FUZZ_B)/fuzz_ring: tests/fuzz/fuzz_ring.c guests/lib/ring.c include/emv/ring.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

# The include flags of the hc_decode unit test (mk/unit.mk, in the recipe: expanded late).
$(FUZZ_B)/fuzz_hc_decode: tests/fuzz/fuzz_hc_decode.c hyp/core/hc_decode.c hyp/core/evport.c \
                          $(wildcard include/emv/*.h hyp/*/*.h hyp/*/*/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(HYP_UNIT_INC) -o $@ $(filter %.c,$^)

.PHONY: fuzz fuzz-long
fuzz: $(FUZZ_TARGETS)
	@bash tests/cli/fuzz.sh

# A crash is a bug to fix, not a result: the section is only rewritten after clean runs.
fuzz-long: $(FUZZ_TARGETS)
	@$(PYTHON) scripts/fuzz_long.py --runs $(FUZZ_LONG_RUNS) $(FUZZ_TARGETS) >$(FUZZ_B)/long.md
	@$(PYTHON) scripts/bench_section.py fuzz <$(FUZZ_B)/long.md

# The cli layer (tests/cli/fuzz.sh) of both test targets runs the fuzzers.
test unit-test: $(FUZZ_TARGETS)
