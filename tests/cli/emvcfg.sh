#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# emvcfg from the shell, TAP output. Run from the repo root after `make tools`.
#   - good*.dts pass `check` and `gen`; the generated C compiles against hyp/core/config.h and
#     the generated assembly assembles, with one page-aligned symbol per image and per boot
#     information; a dma-trusted VM carries EMV_VM_F_DMA_TRUSTED in the tables; regions and
#     channels become the shared-memory table and per-VM object tables, and each VM's boot
#     information dtb decompiles to the layout of docs/abi.md.
#   - each bad-*.dts fails with exit 1 and prints every message its leading
#     `// expect: MESSAGE` lines announce (each prefixed with the .dts path); gen writes nothing.
#   - usage errors exit 2.
set -u
EMVCFG=build/host/emvcfg
DATA=tests/cli/data/cfg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }

if [ ! -x "$EMVCFG" ]; then
    echo "1..1"
    echo "not ok 1 - $EMVCFG is missing: run make tools first"
    exit 1
fi

# Compile a fixture; prints the dtb path.
dtb() {
    local out="$TMP/$(basename "$1" .dts).dtb"
    dtc -q -I dts -O dtb -o "$out" "$1" && echo "$out"
}

# ---- good configs ----
for f in "$DATA"/good*.dts; do
    out=$("$EMVCFG" check --source "$f" "$(dtb "$f")" 2>&1)
    check "$(basename "$f") passes check" '[ $? -eq 0 ] && [[ "$out" == "$f: ok ("*" VM"*")" ]]' ||
        echo "# $out"
done

"$EMVCFG" gen --source "$DATA/good.dts" --out-c "$TMP/c.c" --out-s "$TMP/i.S" "$TMP/good.dtb" \
    2>"$TMP/err"
check "gen succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: name defaults to the source's stem" 'grep -q "^    .name = \"good\"," "$TMP/c.c"'
check "gen: VM table fields" 'grep -q ".name = \"a\"" "$TMP/c.c" &&
    grep -q "EMV_VM_F_CONTROL" "$TMP/c.c" && grep -q ".ram_ipa = 0x50000000ULL" "$TMP/c.c" &&
    grep -q ".bootarg = 0x7ULL" "$TMP/c.c" && grep -q "EMV_SCHED_RT" "$TMP/c.c" &&
    grep -q ".image_size = 34," "$TMP/c.c" && grep -q ".cpu_policy = {0, 1}" "$TMP/c.c"'
check "gen: devices carry the board's address and IRQ" \
    'grep -q "{.name = \"rtc\", .base = 0x9010000ULL, .size = 0x1000ULL, .irq = 34}" "$TMP/c.c"'
check "gen: images by absolute path, page-aligned, in .rodata.guest_images" \
    'grep -q "^    .incbin \"/.*/tests/cli/data/cfg/tiny.bin\"" "$TMP/i.S" &&
    grep -q "^    .balign 4096" "$TMP/i.S" && grep -q "section .rodata.guest_images" "$TMP/i.S"'
check "generated C compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$TMP/c.c" -o "$TMP/c.o"'
check "generated assembly assembles: one 34-byte symbol per VM, the image both VMs name linked once" \
    'cc -c "$TMP/i.S" -o "$TMP/i.o" && [ "$(nm -S "$TMP/i.o" | grep -c " R emv_image_")" = 2 ] &&
    nm -S "$TMP/i.o" | grep -q "^0000000000000000 0000000000000022 R emv_image_0" &&
    nm -S "$TMP/i.o" | grep -q "^0000000000000000 0000000000000022 R emv_image_1" &&
    [ "$(grep -c "^    .incbin .*tiny.bin" "$TMP/i.S")" = 1 ]'
check "generated assembly: each VM's boot information page-aligned after its image" \
    'nm -S "$TMP/i.o" | grep -q "^0000000000001000 $(printf %016x "$(stat -c %s "$TMP/bootinfo-0.dtb")") R emv_bootinfo_0" &&
    nm -S "$TMP/i.o" | grep -q "^0000000000002000 [0-9a-f]* R emv_bootinfo_1"'
check "gen: without regions or channels: the device, the control role and one VM object per VM" \
    'grep -q "^        .nr_objs = 0,$" "$TMP/c.c" && grep -q "^        .nr_objs = 4,$" "$TMP/c.c" &&
    grep -A5 "^        .nr_objs = 4,$" "$TMP/c.c" | tr -d "\n" | grep -q "{.name = \"rtc\", .type = EMV_OBJ_DEVICE, .ipa = 0x9010000ULL, .irq = 34},            {.name = \"control\", .type = EMV_OBJ_CONTROL},            {.name = \"vm-a\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 0},            {.name = \"vm-b\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 1}," &&
    grep -q "^    .nr_shmem = 0,$" "$TMP/c.c" && grep -q "^    .shmem = 0,$" "$TMP/c.c"'

# ---- shared memory, channels, boot information ----
G=$TMP/obj
mkdir -p "$G"
"$EMVCFG" gen --source "$DATA/good-objects.dts" --out-c "$G/config.c" --out-s "$G/images.S" \
    "$(dtb "$DATA/good-objects.dts")" 2>"$TMP/err"
check "gen with regions and a channel succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: the shared-memory table, in config order" \
    'grep -q "^static const struct emv_shmem_cfg shmem\[2\] = {$" "$G/config.c" &&
    grep -A2 "shmem\[2\] = {" "$G/config.c" | tail -2 | tr -d "\n" | grep -q "{.name = \"ring-a\", .pa = 0x4f000000ULL, .size = 0x2000ULL},    {.name = \"log\", .pa = 0x4f002000ULL, .size = 0x1000ULL}," &&
    grep -q "^    .nr_shmem = 2,$" "$G/config.c" && grep -q "^    .shmem = shmem,$" "$G/config.c"'
check "gen: be's objects: its region (rw) at the shared-memory base, then its channel end" \
    'grep -A3 "^        .nr_objs = 2,$" "$G/config.c" | tr -d "\n" | grep -q "{.name = \"ring-a\", .type = EMV_OBJ_SHMEM, .rights = EMV_RIGHT_READ | EMV_RIGHT_WRITE, .shmem = 0, .ipa = 0x800000000ULL},            {.name = \"ping\", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY, .peer_vm = 1, .peer_obj = 2},"'
check "gen: fe's objects: both regions (ro, rw) one after the other, then the channel to be" \
    'grep -A4 "^        .nr_objs = 3,$" "$G/config.c" | tr -d "\n" | grep -q "{.name = \"ring-a\", .type = EMV_OBJ_SHMEM, .rights = EMV_RIGHT_READ, .shmem = 0, .ipa = 0x800000000ULL},            {.name = \"log\", .type = EMV_OBJ_SHMEM, .rights = EMV_RIGHT_READ | EMV_RIGHT_WRITE, .shmem = 1, .ipa = 0x800002000ULL},            {.name = \"ping\", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY, .peer_vm = 0, .peer_obj = 1},"'
check "gen: each VM points at its boot information, with its size" \
    'grep -q "^        .bootinfo = emv_bootinfo_0, .bootinfo_size = $(stat -c %s "$G/bootinfo-0.dtb"),$" "$G/config.c" &&
    grep -q "^        .bootinfo = emv_bootinfo_1, .bootinfo_size = $(stat -c %s "$G/bootinfo-1.dtb"),$" "$G/config.c"'
check "gen: the boot information is linked in by absolute path, page-aligned" \
    'grep -B4 "^    .incbin \"$G/bootinfo-1.dtb\"$" "$G/images.S" | grep -q "^    .balign 4096$" &&
    grep -q "^    .global emv_bootinfo_0$" "$G/images.S"'
check "generated C with objects compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$G/config.c" -o "$G/c.o"'
check "generated assembly with boot information assembles" 'cc -c "$G/images.S" -o "$G/i.o"'

# ---- a Linux VM: kernel, initramfs, command line; its device tree is its boot information ----
L=$TMP/linux
mkdir -p "$L"
"$EMVCFG" gen --source "$DATA/good-linux.dts" --out-c "$L/config.c" --out-s "$L/images.S" \
    "$(dtb "$DATA/good-linux.dts")" 2>"$TMP/err"
check "gen with a Linux VM succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: the Linux VM is flagged, entered at its RAM base + text_offset, its initramfs at the end" \
    'grep -q "^        .flags = EMV_VM_F_LINUX,$" "$L/config.c" &&
    grep -q "^        .entry_ipa = 0x40000000ULL, .bootarg = 0x0ULL,$" "$L/config.c" &&
    grep -q "^        .initrd = emv_initrd_0, .initrd_size = 206, .initrd_ipa = 0x40ffb000ULL,$" "$L/config.c" &&
    grep -q "^    .incbin \"$PWD/$DATA/tiny-initrd\"$" "$L/images.S"'
dtc -q -I dtb -O dts "$L/bootinfo-0.dtb" > "$L/lx.dts" 2>/dev/null
check "gen: the Linux device tree: PSCI over HVC, 2 CPUs, the vGIC, the PL011, chosen with initrd" \
    'grep -q "method = \"hvc\";" "$L/lx.dts" && grep -q "cpu@1 {" "$L/lx.dts" &&
    grep -q "enable-method = \"psci\";" "$L/lx.dts" &&
    grep -q "reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x40000>;" "$L/lx.dts" &&
    grep -q "compatible = \"arm,pl011\\\\0arm,primecell\";" "$L/lx.dts" &&
    grep -q "bootargs = \"console=ttyAMA0 quiet\";" "$L/lx.dts" &&
    grep -q "linux,initrd-start = <0x00 0x40ffb000>;" "$L/lx.dts" &&
    grep -q "linux,initrd-end = <0x00 0x40ffb0ce>;" "$L/lx.dts" &&
    grep -q "vm-name = \"lx\";" "$L/lx.dts"'
check "gen: the minios VM beside it gets no Linux nodes" \
    '! dtc -q -I dtb -O dts "$L/bootinfo-1.dtb" | grep -q "psci\|chosen"'
check "generated C with a Linux VM compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$L/config.c" -o "$L/c.o"'

# ---- IPC endpoints ----
E=$TMP/ep
mkdir -p "$E"
"$EMVCFG" gen --source "$DATA/good-ep.dts" --out-c "$E/config.c" --out-s "$E/images.S" \
    "$(dtb "$DATA/good-ep.dts")" 2>"$TMP/err"
check "gen with a passive endpoint succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: the endpoint table names its server and that it is passive" \
    'grep -q "^    {.name = \"calc\", .server_vm = 0, .passive = 1},$" "$E/config.c" &&
    grep -q "^    .nr_eps = 1,$" "$E/config.c"'
check "gen: the passive server's vCPU is never scheduled on its own" \
    'grep -q ".pcpu = 0, .sched = EMV_SCHED_PASSIVE," "$E/config.c"'
check "gen: the server may receive, the client call with badge 1" \
    'grep -q "{.name = \"calc\", .type = EMV_OBJ_ENDPOINT, .rights = EMV_RIGHT_RECV, .peer_vm = 0, .endpoint = 0, .badge = 0}," "$E/config.c" &&
    grep -q "{.name = \"calc\", .type = EMV_OBJ_ENDPOINT, .rights = EMV_RIGHT_CALL, .peer_vm = 0, .endpoint = 0, .badge = 1}," "$E/config.c"'
check "gen: the client's boot information names the server and its badge" \
    'dtc -q -I dtb -O dts "$E/bootinfo-1.dtb" | tr -d "\t\n" | grep -q "calc {index = <0x00>;type = <0x03>;rights = <0x08>;peer = \"srv\";peer-id = <0x01>;badge = <0x01>;};"'

# ---- links: VM objects with EMV_RIGHT_BIND ----
L=$TMP/links
mkdir -p "$L"
"$EMVCFG" gen --source "$DATA/good-links.dts" --out-c "$L/config.c" --out-s "$L/images.S" \
    "$(dtb "$DATA/good-links.dts")" 2>"$TMP/err"
check "gen with links succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
check "gen: the control VM controls every VM and may bind with a, the one it is linked with" \
    'grep -A5 "^        .nr_objs = 4,$" "$L/config.c" | tr -d "\n" | grep -q "{.name = \"control\", .type = EMV_OBJ_CONTROL},            {.name = \"vm-ctl\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 0},            {.name = \"vm-a\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL | EMV_RIGHT_BIND, .peer_vm = 1},            {.name = \"vm-b\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 2},"'
check "gen: a may bind with ctl and b (both links, either order of ends), b with a only" \
    'grep -A3 "^        .nr_objs = 2,$" "$L/config.c" | tr -d "\n" | grep -q "{.name = \"vm-ctl\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_BIND, .peer_vm = 0},            {.name = \"vm-b\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_BIND, .peer_vm = 2}," &&
    grep -A2 "^        .nr_objs = 1,$" "$L/config.c" | tr -d "\n" | grep -q "{.name = \"vm-a\", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_BIND, .peer_vm = 1},"'
check "gen: b's boot information names its VM object's peer and its id" \
    'dtc -q -I dtb -O dts "$L/bootinfo-2.dtb" | tr -d "\t\n" | grep -q "vm-a {index = <0x00>;type = <0x06>;rights = <0x40>;peer = \"a\";peer-id = <0x02>;};"'
check "generated C with VM objects compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$L/config.c" -o "$L/c.o"'

# The boot information is the guest's ABI (docs/abi.md): compare it whole.
cat >"$TMP/want-be.dts" <<'DTS'
/dts-v1/;

/ {
	#address-cells = <0x02>;
	#size-cells = <0x02>;
	compatible = "emvisor,vm";

	memory@40000000 {
		device_type = "memory";
		reg = <0x00 0x40000000 0x00 0x1000000>;
	};

	emvisor {
		compatible = "emvisor,bootinfo-v1";
		vm-id = <0x01>;
		vm-name = "be";

		objects {

			ring-a {
				index = <0x00>;
				type = <0x01>;
				rights = <0x03>;
				reg = <0x08 0x00 0x00 0x2000>;
			};

			ping {
				index = <0x01>;
				type = <0x02>;
				rights = <0x04>;
				peer = "fe";
				peer-id = <0x02>;
			};
		};
	};
};
DTS
dtc -q -I dtb -O dts -o "$TMP/be.dts" "$G/bootinfo-0.dtb" 2>/dev/null
check "boot information of be: memory, id, name, its two objects" 'diff -u "$TMP/want-be.dts" "$TMP/be.dts" >"$TMP/diff"' ||
    sed 's/^/# /' "$TMP/diff"
dtc -q -I dtb -O dts -o "$TMP/fe.dts" "$G/bootinfo-1.dtb" 2>/dev/null
check "boot information of fe: id 2, read-only ring-a, log at the next page, ping to be" \
    'grep -q "vm-id = <0x02>;" "$TMP/fe.dts" && grep -q "vm-name = \"fe\";" "$TMP/fe.dts" &&
    grep -A4 "^			ring-a {" "$TMP/fe.dts" | grep -q "rights = <0x01>;" &&
    grep -A5 "^			log {" "$TMP/fe.dts" | grep -q "reg = <0x08 0x2000 0x00 0x1000>;" &&
    grep -A4 "^			ping {" "$TMP/fe.dts" | grep -q "index = <0x02>;" &&
    grep -A5 "^			ping {" "$TMP/fe.dts" | grep -q "peer = \"be\";"'
check "boot information stays small (under 1 KiB here)" \
    '[ "$(stat -c %s "$G/bootinfo-0.dtb")" -lt 1024 ] && [ "$(stat -c %s "$G/bootinfo-1.dtb")" -lt 1024 ]'

# A VM's tasks and how its guest runs them (docs/abi.md, /emvisor/tasks): exec-us defaults to
# 4/5 of the WCET; a task requested at run time is in the boot information, not in the tables.
T=$TMP/tasks
mkdir -p "$T"
"$EMVCFG" gen --source "$DATA/good-tasks.dts" --out-c "$T/config.c" --out-s "$T/images.S" \
    "$(dtb "$DATA/good-tasks.dts")" 2>"$TMP/err"
check "gen with run-time task settings succeeds" '[ $? -eq 0 ]' || sed 's/^/# /' "$TMP/err"
cat >"$T/want.dts" <<'DTS'
		tasks {
			policy = "rm";
			run-for-ms = <0x7d0>;

			t5 {
				period-us = <0x1388>;
				wcet-us = <0x1f4>;
				exec-us = <0x64>;
			};

			over20 {
				period-us = <0x4e20>;
				wcet-us = <0x7d0>;
				exec-us = <0x640>;
				overrun-every = <0x0a>;
				overrun-us = <0x1770>;
			};

			extra {
				period-us = <0x4e20>;
				wcet-us = <0xfa0>;
				exec-us = <0xc80>;
				request-at-ms = <0x3e8>;
			};
		};
DTS
dtc -q -I dtb -O dts "$T/bootinfo-1.dtb" 2>/dev/null | sed -n '/^\t\ttasks {$/,/^\t\t};$/p' >"$T/got.dts"
check "boot information of rt: its tasks node, every setting the guest runs by" \
    'diff -u "$T/want.dts" "$T/got.dts" >"$TMP/diff"' || sed 's/^/# /' "$TMP/diff"
check "boot information of ctl (no tasks declared) has no tasks node" \
    '! dtc -q -I dtb -O dts "$T/bootinfo-0.dtb" | grep -q "tasks {"'
check "boot information of ctl: its settings as the config gives them (cells, flag, string)" \
    'dtc -q -I dtb -O dts "$T/bootinfo-0.dtb" | tr -d "\t\n" |
    grep -q "settings {level = <0x03>;big = <0x01 0x02>;verbose;mode = \"fast\";};"'
check "gen: the tables hold the tasks started at boot, not the one requested at run time" \
    'grep -q "^        .nr_tasks = 2,$" "$T/config.c" && ! grep -q "/\* extra \*/" "$T/config.c"'

"$EMVCFG" gen --source "$DATA/good-dma.dts" --out-c "$TMP/d.c" --out-s "$TMP/d.S" \
    "$(dtb "$DATA/good-dma.dts")" 2>"$TMP/err"
check "gen: a dma-trusted VM carries EMV_VM_F_DMA_TRUSTED, others do not" '[ $? -eq 0 ] &&
    grep -q "^        .flags = EMV_VM_F_CONTROL | EMV_VM_F_DMA_TRUSTED,$" "$TMP/d.c" &&
    [ "$(grep -c "^        .flags = EMV_VM_F_DMA_TRUSTED,$" "$TMP/d.c")" = 1 ] &&
    [ "$(grep -c "^        .flags = 0,$" "$TMP/d.c")" = 1 ] && ! grep -q DMA_TRUSTED "$TMP/c.c"' ||
    sed 's/^/# /' "$TMP/err"
check "generated C with the DMA flag compiles against hyp/core/config.h" \
    'cc -std=c11 -Wall -Wextra -Werror -c -Ihyp -Iinclude -Ihyp/platform/qemu-virt "$TMP/d.c" -o "$TMP/d.o"'

"$EMVCFG" gen --name my-sys --out-c "$TMP/n.c" --out-s "$TMP/n.S" "$TMP/good.dtb" 2>/dev/null
check "gen --name sets emv_config.name" 'grep -q "^    .name = \"my-sys\"," "$TMP/n.c"'
"$EMVCFG" gen --name 'bad"name' --out-c "$TMP/q.c" --out-s "$TMP/q.S" "$TMP/good.dtb" 2>/dev/null
check "gen --name refuses a name the C string cannot hold (exit 2)" '[ $? -eq 2 ] && [ ! -e "$TMP/q.c" ]'

# --root: image paths are relative to it, output paths stay relative to the caller.
mkdir -p "$TMP/root/tests/cli/data/cfg" "$TMP/out"
cp "$DATA/tiny.bin" "$TMP/root/tests/cli/data/cfg/"
(cd "$TMP" && "$OLDPWD/$EMVCFG" gen --root root --out-c out/r.c --out-s out/r.S good.dtb)
check "gen --root: images found under the root, outputs where asked" \
    'grep -q "incbin \"$TMP/root/tests/cli/data/cfg/tiny.bin\"" "$TMP/out/r.S"'

# Without --root, from outside the repository: the images are found above the config's
# directory (--source), or above the emvcfg program when the config has no repository above.
mkdir -p "$TMP/away"
cp "$DATA/good.dts" "$TMP/away/copy.dts"
REPO=$PWD
out=$(cd "$TMP/away" && "$REPO/$EMVCFG" check --source "$REPO/$DATA/good.dts" ../good.dtb 2>&1)
check "from outside the repository: images found from --source up" '[ $? -eq 0 ] && [[ "$out" == *": ok (2 VMs)" ]]' ||
    echo "# $out"
out=$(cd "$TMP/away" && "$REPO/$EMVCFG" check --source copy.dts ../good.dtb 2>&1)
check "a config outside any repository: images found from the program up" '[ $? -eq 0 ]' ||
    echo "# $out"
(cd "$TMP/away" && "$REPO/$EMVCFG" gen --source copy.dts --out-c g.c --out-s g.S ../good.dtb)
check "gen from outside: .incbin names the image in the repository" \
    'grep -q "incbin \"$REPO/tests/cli/data/cfg/tiny.bin\"" "$TMP/away/g.S"'
out=$(cd "$TMP/away" && "$REPO/$EMVCFG" check --root "$TMP/away" --source copy.dts ../good.dtb 2>&1)
check "--root still decides when given (no image there: cannot read)" \
    '[ $? -eq 1 ] && [[ "$out" == *"image: cannot read '"'tests/cli/data/cfg/tiny.bin'"'"* ]]'

out=$(cd "$TMP/away" && "$REPO/$EMVCFG" check --source "$REPO/$DATA/bad-imagefile.dts" \
    "$(cd "$REPO" && dtb "$DATA/bad-imagefile.dts")" 2>&1)
check "an image found nowhere: cannot read, and a note says where emvcfg looked" \
    '[ $? -eq 1 ] && [[ "$out" == *"cannot read"* ]] && [[ "$out" == *"note: relative image paths were looked for"* ]]' ||
    echo "# $out"

# --cpus: the CPU count the system is built for (make passes SMP); good.dts pins b to cpu 1.
out=$("$EMVCFG" check --cpus 2 --source "$DATA/good.dts" "$TMP/good.dtb" 2>&1)
check "--cpus 2: a vCPU on cpu 1 is fine" '[ $? -eq 0 ]' || echo "# $out"
out=$("$EMVCFG" check --cpus 1 --source "$DATA/good.dts" "$TMP/good.dtb" 2>&1)
check "--cpus 1: a vCPU on cpu 1 is refused, naming the VM, the field and the count" \
    '[ $? -eq 1 ] && [[ "$out" == *"$DATA/good.dts: vm '"'b'"': vcpu@0/cpu: pinned to cpu 1, but the system is built for 1 CPU (0..0"* ]]' ||
    echo "# $out"
for bad in 0 5 x 2x ""; do
    "$EMVCFG" check --cpus "$bad" "$TMP/good.dtb" 2>/dev/null
    check "--cpus '$bad': usage error, exit 2" '[ $? -eq 2 ]'
done

# ---- bad configs ----
for f in "$DATA"/bad-*.dts; do
    mapfile -t wants < <(sed -n 's|^// expect: ||p' "$f")
    out=$("$EMVCFG" check --source "$f" "$(dtb "$f")" 2>&1)
    rc=$?
    missing=""
    for w in "${wants[@]}"; do
        [[ "$out" == *"$f: $w"* ]] || missing="$missing [$w]"
    done
    if [ $rc -eq 1 ] && [ ${#wants[@]} -gt 0 ] && [ -z "$missing" ]; then
        ok "$(basename "$f") refused: ${wants[0]}"
    else
        notok "$(basename "$f") refused (rc=$rc), missing:$missing"
        echo "$out" | sed 's/^/# /'
    fi
done

wrote=""
mkdir -p "$TMP/bad"
for f in "$DATA"/bad-*.dts; do
    "$EMVCFG" gen --out-c "$TMP/bad/x.c" --out-s "$TMP/bad/x.S" "$TMP/$(basename "$f" .dts).dtb" \
        2>/dev/null
    rc=$?
    { [ $rc -eq 1 ] && [ -z "$(ls -A "$TMP/bad")" ]; } || wrote="$wrote $(basename "$f")"
    rm -f "$TMP"/bad/*
done
check "gen exits 1 and writes nothing for every bad config" '[ -z "$wrote" ]' ||
    echo "# wrong for:$wrote"

out=$("$EMVCFG" check "$TMP/bad-overlap.dtb" 2>&1)
check "without --source, messages name the dtb" '[[ "$out" == *"$TMP/bad-overlap.dtb: vm '"'b'"': memory:"* ]]'

# ---- usage ----
out=$("$EMVCFG" --help)
check "--help: usage on stdout, exit 0" '[ $? -eq 0 ] && [[ "$out" == *"usage: emvcfg check"* ]]'
"$EMVCFG" check 2>/dev/null
check "missing CONFIG.dtb: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" frobnicate x.dtb 2>/dev/null
check "unknown command: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" check --bogus x.dtb 2>/dev/null
check "unknown option: exit 2" '[ $? -eq 2 ]'
"$EMVCFG" gen --out-c "$TMP/y.c" "$TMP/good.dtb" 2>/dev/null
check "gen without --out-s: exit 2, nothing written" '[ $? -eq 2 ] && [ ! -e "$TMP/y.c" ]'
"$EMVCFG" check "$TMP/none.dtb" 2>/dev/null
check "missing file: exit 2" '[ $? -eq 2 ]'
printf 'garbage' >"$TMP/g.dtb"
out=$("$EMVCFG" check "$TMP/g.dtb" 2>&1)
check "garbage input: exit 1, one clear error" '[ $? -eq 1 ] &&
    [[ "$out" == *"not a valid device tree blob"* ]] && [[ "$out" == *": 1 error"* ]]'

echo "1..$n"
[ $fails -eq 0 ]
