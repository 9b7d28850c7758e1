# SPDX-License-Identifier: MIT
# emvisor - top-level build.
#   make run     boot the demo system in QEMU
#   make test    all tests (host unit tests, tool tests, QEMU system tests)
#   make bench   benchmarks -> docs/benchmarks.md
#   make debug   QEMU waiting for gdb-multiarch on :1234
# Parts of the build live in mk/*.mk; each appends to HOST_TOOLS, UNIT_TESTS, BENCH_TARGETS.

CONFIG   ?= demo
PLATFORM ?= qemu-virt
BUILD    := build
HOSTB    := $(BUILD)/host
CROSS    ?= aarch64-linux-gnu-
CC_T     := $(CROSS)gcc
OBJCOPY  := $(CROSS)objcopy
HOSTCC   ?= gcc
PYTHON   ?= python3
SHELL    := /bin/bash

ifneq ($(V),1)
MAKEFLAGS += -s --no-print-directory
endif

HOST_TOOLS    :=
UNIT_TESTS    :=
BENCH_TARGETS :=

# Strict warnings, all errors. No FP/SIMD in the hypervisor or guests' kernels.
WARN      := -Wall -Wextra -Werror -Wshadow -Wvla -Wno-unused-parameter
TGT_FLAGS := -std=c11 -ffreestanding -nostdlib -fno-builtin -mgeneral-regs-only -mstrict-align \
             -mcpu=cortex-a53 -fno-pic -fno-pie -fno-stack-protector -fno-common -mno-outline-atomics -O2 -g $(WARN) \
             -MMD -MP
HOST_CFLAGS := -std=c11 -O2 -g $(WARN) -D_DEFAULT_SOURCE -MMD -MP -Iinclude -Irt \
               -Ihyp/platform/$(PLATFORM) -Ihyp

.PHONY: all deps run test unit-test system-test bench debug clean format-check hyp guests tools
all: deps tools guests hyp

deps:
	@scripts/install-deps.sh

include $(sort $(wildcard mk/*.mk))

tools: $(HOST_TOOLS)

test: deps all $(UNIT_TESTS)
	@$(PYTHON) tests/run_all.py --unit $(UNIT_TESTS)

unit-test: deps $(UNIT_TESTS)
	@$(PYTHON) tests/run_all.py --no-system --unit $(UNIT_TESTS)

system-test: deps all
	@$(PYTHON) tests/run_all.py --no-unit --no-cli

bench: deps all $(BENCH_TARGETS)

format-check:
	@clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)
