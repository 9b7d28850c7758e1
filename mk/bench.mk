# SPDX-License-Identifier: MIT
# Foundation benchmarks (QEMU, -icount): results into docs/benchmarks.md.
.PHONY: bench-foundation
bench-foundation: deps tools guests
	$(PYTHON) bench/run_bench.py
BENCH_TARGETS += bench-foundation
