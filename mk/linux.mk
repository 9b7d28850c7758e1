# SPDX-License-Identifier: MIT
# The Linux guest's material: Debian's arm64 kernel Image and an initramfs with busybox,
# fetched with apt and built by scripts/linux-material.sh into build/linux/ (kept between runs;
# the script does nothing when it is up to date). A config that names build/linux/ files gets
# them before emvcfg reads it, so `make CONFIG=linux run` and the system tests fetch on a clean
# machine.

LINUX_DIR      := $(BUILD)/linux
LINUX_MATERIAL := $(LINUX_DIR)/Image $(LINUX_DIR)/initramfs.cpio.gz
LINUX_SCRIPTS  := scripts/linux-material.sh scripts/linux-init.sh scripts/mkcpio.py

.PHONY: linux-material linux-bench-material linux-native
linux-material:
	@scripts/linux-material.sh $(LINUX_DIR)

# The benchmarks' variant: the same initramfs with bench/linux/lmb.c (static arm64) as /bin/lmb.
LINUX_BENCH_MATERIAL := $(LINUX_DIR)/initramfs-bench.cpio.gz
linux-bench-material:
	@scripts/linux-bench-material.sh $(LINUX_DIR)

$(LINUX_BENCH_MATERIAL): $(LINUX_SCRIPTS) scripts/linux-bench-material.sh bench/linux/lmb.c
	@scripts/linux-bench-material.sh $(LINUX_DIR)

$(LINUX_MATERIAL) &: $(LINUX_SCRIPTS)
	@scripts/linux-material.sh $(LINUX_DIR)

ifneq ($(shell grep -ls 'build/linux/' $(CONFIG_DTS)),)
$(HYP_DIR)/config.c $(HYP_DIR)/images.S: $(LINUX_MATERIAL)
endif
ifneq ($(shell grep -ls 'build/linux/initramfs-bench' $(CONFIG_DTS)),)
$(HYP_DIR)/config.c $(HYP_DIR)/images.S: $(LINUX_BENCH_MATERIAL)
endif

# The same kernel and initramfs booted directly on QEMU, no hypervisor: the native reference.
linux-native: linux-material
	$(QEMU) -M virt,gic-version=3 -cpu cortex-a53 -smp $(SMP) -m 512M -nographic -nic none \
	    $(RUN_ICOUNT) -kernel $(LINUX_DIR)/Image -initrd $(LINUX_DIR)/initramfs.cpio.gz \
	    -append "console=ttyAMA0 earlycon=pl011,0x9000000 nokaslr $(LINUX_APPEND)"

# The VMs benchmark's initramfs (bench/linux/vmwork.c as its workload), for configs that name it.
LINUX_VMS_INITRD := $(LINUX_DIR)/initramfs-vms.cpio.gz
$(LINUX_VMS_INITRD): scripts/linux-vms-material.sh scripts/linux-vms-init.sh bench/linux/vmwork.c \
                     $(LINUX_MATERIAL)
	@scripts/linux-vms-material.sh $(LINUX_DIR)
ifneq ($(shell grep -ls 'initramfs-vms' $(CONFIG_DTS)),)
$(HYP_DIR)/config.c $(HYP_DIR)/images.S: $(LINUX_VMS_INITRD)
endif
