#!/bin/sh
# /init of the Linux guest's initramfs (scripts/linux-material.sh puts it there).
# Mounts /proc and /sys, says how many CPUs Linux brought up, runs a small workload, then
# powers the VM off when the kernel command line has emv.test=poweroff (emv.test=devmem: reads
# a device the VM was not given; emv.test=lmb: runs the benchmarks of bench/linux/lmb.c, in the
# initramfs variant of scripts/linux-bench-material.sh; emv.lmb-scale=N runs N times as many
# iterations), else gives a shell.
# With /bin/lmb present, the first thing /init does is read the virtual counter (boot time).
[ -x /bin/lmb ] && /bin/lmb --ticks
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sys sysfs /sys 2>/dev/null || mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
ncpu=$(grep -c '^processor' /proc/cpuinfo)
echo "emv-linux: init up, $ncpu cpu(s), kernel $(uname -r)"
sum=0
i=0
while [ $i -lt 2000 ]; do sum=$((sum + i * i)); i=$((i + 1)); done
echo "emv-linux: workload sum=$sum"
case " $(cat /proc/cmdline) " in
*" emv.test=poweroff "*) echo "emv-linux: poweroff"; poweroff -f ;;
*" emv.test=devmem "*) # a device this VM was not given: the hypervisor must stop only this VM
    echo "emv-linux: reading the RTC at 0x9010000, not ours"; devmem 0x9010000 32
    echo "emv-linux: still running after the read" ;;
*" emv.test=lmb "*)
    dmesg | grep -E 'crng init done|random: ' | sed 's/^/emv-linux: dmesg: /'
    /bin/lmb $(sed -n 's/.*emv\.lmb-scale=\([0-9]*\).*/\1/p' /proc/cmdline)
    echo "emv-linux: poweroff"; poweroff -f ;;
esac
echo "emv-linux: shell (busybox sh)"
exec /bin/sh
