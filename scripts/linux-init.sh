#!/bin/sh
# /init of the Linux guest's initramfs (scripts/linux-material.sh puts it there).
# Mounts /proc and /sys, says how many CPUs Linux brought up, runs a small workload, then
# powers the VM off when the kernel command line has emv.test=poweroff (emv.test=devmem: reads
# a device the VM was not given; emv.test=load: a CPU-bound loop pinned to each CPU for
# emv.load-s seconds, then each CPU's busy time, then power off; emv.test=lmb: runs the
# benchmarks of bench/linux/lmb.c, in the initramfs variant of
# scripts/linux-bench-material.sh; emv.lmb-scale=N runs N times as many iterations), else
# gives a shell.
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
*" emv.test=load "*)
    secs=$(sed -n 's/.* emv\.load-s=\([0-9][0-9]*\).*/\1/p' /proc/cmdline)
    secs=${secs:-1}
    cat /proc/stat > /tmp/stat0
    read -r up _ < /proc/uptime
    echo "emv-linux: load: a busy loop on each of $ncpu cpu(s) for $secs s, from ${up}s"
    c=0
    pids=""
    while [ $c -lt "$ncpu" ]; do
        # shellcheck disable=SC2016 # $n is the inner shell's
        taskset -c $c sh -c 'n=0; trap "echo emv-linux: load: cpu'$c' loop iterations=\$n; exit 0" TERM
                             while :; do n=$((n + 1)); done' &
        pids="$pids $!"
        c=$((c + 1))
    done
    sleep "$secs"
    # shellcheck disable=SC2086 # one word per pid
    kill $pids
    wait
    read -r up _ < /proc/uptime
    # Each CPU's busy time over the load (user + nice + system, in USER_HZ ticks).
    awk -v hz="$((secs * 100))" -v up="$up" '
        NR == FNR { if ($1 ~ /^cpu[0-9]/) b[$1] = $2 + $3 + $4; next }
        $1 ~ /^cpu[0-9]/ { printf "emv-linux: load: %s busy-ticks=%d of %d, until %ss\n", $1, $2 + $3 + $4 - b[$1], hz, up }
    ' /tmp/stat0 /proc/stat
    echo "emv-linux: poweroff"
    poweroff -f ;;
*" emv.test=lmb "*)
    dmesg | grep -E 'crng init done|random: ' | sed 's/^/emv-linux: dmesg: /'
    /bin/lmb $(sed -n 's/.*emv\.lmb-scale=\([0-9]*\).*/\1/p' /proc/cmdline)
    echo "emv-linux: poweroff"; poweroff -f ;;
esac
echo "emv-linux: shell (busybox sh)"
exec /bin/sh
