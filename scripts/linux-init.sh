#!/bin/sh
# /init of the Linux guest's initramfs (scripts/linux-material.sh puts it there).
# Mounts /proc and /sys, says how many CPUs Linux brought up, runs a small workload, then
# powers the VM off when the kernel command line has emv.test=poweroff, else gives a shell.
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
esac
echo "emv-linux: shell (busybox sh)"
exec /bin/sh
