# SPDX-License-Identifier: MIT
# Foundation benchmarks (QEMU, -icount): results into docs/benchmarks.md.
.PHONY: bench-foundation
bench-foundation: deps tools guests
	$(PYTHON) bench/run_bench.py
BENCH_TARGETS += bench-foundation

# Rings between VMs (bench/ring_bench.py): event latency and ring cost by batch size, section
# `ring`; four short boots (~1 minute).
.PHONY: bench-ring
bench-ring: deps tools guests
	$(PYTHON) bench/ring_bench.py
BENCH_TARGETS += bench-ring

# Synchronous IPC and grants (bench/coop_bench.py): IPC round trip through a passive server,
# grant unmap + map, section `coop`; a few short boots.
.PHONY: bench-coop
bench-coop: deps tools guests
	$(PYTHON) bench/coop_bench.py
BENCH_TARGETS += bench-coop

# Linux virtualized vs native (bench/linux_bench.py): lmbench-style tests and the boot to /init,
# Debian's kernel straight on QEMU and in a VM (1 and 2 vCPUs), section `linux`; 16 boots
# (three seeds each side, one repeated; ~3 minutes). The material (kernel, initramfs with bench/linux/lmb.c) is fetched and built.
.PHONY: bench-linux
bench-linux: deps tools
	$(PYTHON) bench/linux_bench.py
BENCH_TARGETS += bench-linux

# Linux VMs (bench/linux_vms_bench.py): instructions per unit of guest work with 1, 2 and 3
# Linux VMs of 4 busy processes each, against native Linux, section `linux-vms`; eight boots
# (~4 minutes). Fetches the Linux material first. Not part of `make test`.
.PHONY: bench-linux-vms
bench-linux-vms: deps tools
	$(PYTHON) bench/linux_vms_bench.py
BENCH_TARGETS += bench-linux-vms

# Xen 4.17 as a peer (bench/linux_xen_bench.py): the lmb tests in a dom0less domU of Debian's
# Xen on the same QEMU beside native and the emvisor VM, section `linux-xen`; 11 boots
# (~2 minutes). Fetches Xen (scripts/xen-material.sh) and the Linux material. Not part of
# `make test`.
.PHONY: bench-linux-xen
bench-linux-xen: deps tools
	$(PYTHON) bench/linux_xen_bench.py
BENCH_TARGETS += bench-linux-xen
