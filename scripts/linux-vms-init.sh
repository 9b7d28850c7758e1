#!/bin/sh
# /init of the initramfs of the VMs benchmark (scripts/linux-vms-material.sh puts it there):
# with emv.vms=T0,T1 on the kernel command line, runs bench/linux/vmwork.c's 4 busy workers
# over the window T0..T1 ms of the counter, prints their units and powers the VM off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
w=$(sed -n 's/.*emv\.vms=\([0-9]*\),\([0-9]*\).*/\1 \2/p' /proc/cmdline)
echo "emv-vms: init up, window ${w:-none} ms"
[ -n "$w" ] && /bin/vmwork $w 4
echo "emv-vms: poweroff"
poweroff -f
