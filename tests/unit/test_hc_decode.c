/* SPDX-License-Identifier: MIT */
/* test_hc_decode.c - hypercall argument validation: every bad argument gets its error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/config.h"
#include "core/hc_decode.h"
#include "emv/errno.h"
#include "emv/hypercall.h"

static const struct guest_ram ram = {.ipa = 0x40000000, .pa = 0x48000000, .size = 0x1000000};

static int decode(uint64_t nr, uint64_t a1, uint64_t a2, bool priv, struct hc_call *c)
{
    uint64_t x[6] = {nr, a1, a2, 0, 0, 0};
    return hc_decode(&ram, 0, x, priv, c);
}

static void test_range_translation(void **state)
{
    (void)state;
    paddr_t pa = 0;
    assert_int_equal(guest_range_to_pa(&ram, 0x40000000, 1, &pa), 0);
    assert_int_equal(pa, 0x48000000);
    assert_int_equal(guest_range_to_pa(&ram, 0x40fff000, 0x1000, &pa), 0);
    assert_int_equal(pa, 0x48fff000);
    assert_int_equal(guest_range_to_pa(&ram, 0x40fff001, 0x1000, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x3fffffff, 1, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x41000000, 0, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, 0x48000000, 1, &pa), -EMV_EFAULT); /* a PA */
    /* Sums that would wrap around 2^64 must not pass. */
    assert_int_equal(guest_range_to_pa(&ram, 0x40000010, UINT64_MAX, &pa), -EMV_EFAULT);
    assert_int_equal(guest_range_to_pa(&ram, UINT64_MAX - 4, 16, &pa), -EMV_EFAULT);
}

static void test_console_write(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40001000, 12, false, &c), 0);
    assert_int_equal(c.buf_pa, 0x48001000);
    assert_int_equal(c.len, 12);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0, 0, false, &c), 0); /* empty is fine */
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0, 1, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40001000, EMV_CONSOLE_MAX + 1, false, &c),
                     -EMV_E2BIG);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x40fffff0, 0x20, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_CONSOLE_WRITE, 0x09000000, 4, false, &c), -EMV_EFAULT);
}

static void test_unknown_and_immediate(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_COUNT, 0, 0, true, &c), -EMV_ENOSYS);
    assert_int_equal(decode(UINT64_MAX, 0, 0, true, &c), -EMV_ENOSYS);
    uint64_t x[6] = {EMV_HC_VERSION};
    assert_int_equal(hc_decode(&ram, 1, x, true, &c), -EMV_ENOSYS);
    assert_int_equal(hc_decode(&ram, 0xffff, x, true, &c), -EMV_ENOSYS);
    assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
    assert_int_equal(c.nr, EMV_HC_VERSION);
}

static void test_privilege(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_SYSTEM_OFF, 0, 0, false, &c), -EMV_EPERM);
    assert_int_equal(decode(EMV_HC_SYSTEM_OFF, 0, 0, true, &c), 0);
    /* Scheduling calls need no privilege flag: the VM object's right is the permission. */
    assert_int_equal(decode(EMV_HC_SCHED_STATS, 2, 1, false, &c), 0);
    assert_int_equal(c.arg, 2);
    assert_int_equal(c.arg2, 1);
    assert_int_equal(decode(EMV_HC_SCHED_GET, 2, EMV_MAX_VCPUS_PER_VM, true, &c), -EMV_EINVAL);
    assert_int_equal(decode(EMV_HC_SCHED_STATS, 2, UINT64_MAX, true, &c), -EMV_EINVAL);
}

/* SCHED_* name a VM object of the caller's with EMV_RIGHT_CONTROL, never a VM id. */
static void test_sched_objects(void **state)
{
    (void)state;
    static struct emv_vm_cfg vm = {
        .nr_objs = 4,
        .objs = {{.name = "ping", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY, .peer_vm = 1},
                 {.name = "vm-a", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 0},
                 {.name = "vm-b", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_BIND, .peer_vm = 1},
                 {.name = "control", .type = EMV_OBJ_CONTROL}},
    };
    static const uint64_t nrs[] = {EMV_HC_SCHED_GET, EMV_HC_SCHED_STATS, EMV_HC_SCHED_SET};
    for (unsigned i = 0; i < 3; i++) {
        struct hc_call c;
        uint64_t x[6] = {nrs[i], 1, 0, 10000000, 3000000, 0};
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_true(c.nr >= HC_FIRST_OBJ_CALL);
        assert_int_equal(hc_decode_obj(&vm, &c), 0);
        assert_ptr_equal(c.obj, &vm.objs[1]);
        x[1] = 2; /* a VM object without the right */
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EPERM);
        x[1] = 0; /* a channel end is not a VM */
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
        x[1] = 3; /* nor is the control role */
        assert_int_equal(hc_decode(&ram, 0, x, true, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
        x[1] = 4; /* past its table */
        assert_int_equal(hc_decode(&ram, 0, x, true, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
    }
}

static void test_name_and_block(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(decode(EMV_HC_VM_NAME, 0x40000000, 16, false, &c), 0);
    assert_int_equal(c.buf_pa, 0x48000000);
    assert_int_equal(decode(EMV_HC_VM_NAME, 0x50000000, 16, false, &c), -EMV_EFAULT);
    assert_int_equal(decode(EMV_HC_BLOCK, 123456, 0, false, &c), 0);
    assert_int_equal(c.arg, 123456);
}

static void test_sched_set(void **state)
{
    (void)state;
    struct hc_call c;
    uint64_t ok[6] = {EMV_HC_SCHED_SET, 2, 0, 10000000, 3000000, 0};
    assert_int_equal(hc_decode(&ram, 0, ok, false, &c), 0); /* the object decides who may */
    assert_int_equal(c.arg, 2);
    assert_int_equal(c.period, 10000000);
    assert_int_equal(c.budget, 3000000);
    uint64_t be[6] = {EMV_HC_SCHED_SET, 2, 0, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, be, true, &c), 0); /* back to best effort */
    uint64_t over[6] = {EMV_HC_SCHED_SET, 2, 0, 10000000, 10000001, 0};
    assert_int_equal(hc_decode(&ram, 0, over, true, &c), -EMV_EINVAL);
    uint64_t zero[6] = {EMV_HC_SCHED_SET, 2, 0, 10000000, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, zero, true, &c), -EMV_EINVAL);
    uint64_t tiny[6] = {EMV_HC_SCHED_SET, 2, 0, 9999, 1000, 0};
    assert_int_equal(hc_decode(&ram, 0, tiny, true, &c), -EMV_EINVAL);
}

/* The retired message calls (0x0a, 0x0b, the shared inbox) are refused as unknown, whatever
 * the arguments and whoever calls; their neighbours keep their numbers. */
static void test_retired_messages(void **state)
{
    (void)state;
    struct hc_call c;
    for (uint64_t nr = 0x0a; nr <= 0x0b; nr++) {
        uint64_t x[6] = {nr, 0, 0x40002000, 64, 0, 0};
        assert_int_equal(hc_decode(&ram, 0, x, true, &c), -EMV_ENOSYS);
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), -EMV_ENOSYS);
    }
    assert_int_equal(EMV_HC_SCHED_SET, 0x09);
    assert_int_equal(EMV_HC_SCHED_STATS, 0x0c);
}

/* Objects are named by an index into the caller's own table; type and rights are checked
 * before anything acts. */
static void test_object_decode(void **state)
{
    (void)state;
    static struct emv_vm_cfg vm = {
        .nr_objs = 3,
        .objs = {{.name = "ring", .type = EMV_OBJ_SHMEM, .rights = EMV_RIGHT_READ},
                 {.name = "ping", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY},
                 {.name = "mute", .type = EMV_OBJ_EVTCHN, .rights = 0}},
    };
    const struct emv_obj_cfg *o = 0;
    assert_int_equal(obj_decode(&vm, 1, EMV_OBJ_EVTCHN, EMV_RIGHT_NOTIFY, &o), 0);
    assert_ptr_equal(o, &vm.objs[1]);
    assert_int_equal(obj_decode(&vm, 0, EMV_OBJ_EVTCHN, 0, &o), -EMV_EINVAL); /* wrong type */
    assert_int_equal(obj_decode(&vm, 3, EMV_OBJ_EVTCHN, 0, &o), -EMV_EINVAL); /* not its own */
    assert_int_equal(obj_decode(&vm, EMV_MAX_OBJS, EMV_OBJ_EVTCHN, 0, &o), -EMV_EINVAL);
    assert_int_equal(obj_decode(&vm, UINT64_MAX, EMV_OBJ_EVTCHN, 0, &o), -EMV_EINVAL);
    assert_int_equal(obj_decode(&vm, 2, EMV_OBJ_EVTCHN, EMV_RIGHT_NOTIFY, &o), -EMV_EPERM);
    assert_int_equal(obj_decode(&vm, 0, EMV_OBJ_SHMEM, EMV_RIGHT_WRITE, &o), -EMV_EPERM);

    struct hc_call c;
    uint64_t x[6] = {EMV_HC_EVTCHN_NOTIFY, 1, 0, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
    assert_ptr_equal(c.obj, &vm.objs[1]);
    x[1] = 2; /* an end without the right to notify */
    assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EPERM);
    uint64_t m[6] = {EMV_HC_EVTCHN_MASK, 2, 1, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, m, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0); /* masking one's own port needs no right */
    m[2] = 2;
    assert_int_equal(hc_decode(&ram, 0, m, false, &c), -EMV_EINVAL);
    m[1] = 0, m[2] = 0; /* a region is not a port */
    assert_int_equal(hc_decode(&ram, 0, m, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
    uint64_t p[6] = {EMV_HC_EVTCHN_POLL, 0, 0, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, p, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
}

/* Run-time channels: ALLOC_UNBOUND and BIND name a VM object with EMV_RIGHT_BIND; ports past
 * the config's objects are run-time ports (obj stays 0: their state is checked where the call
 * acts); CLOSE refuses the config's channels. */
static void test_runtime_ports(void **state)
{
    (void)state;
    static struct emv_vm_cfg vm = {
        .nr_objs = 4,
        .objs = {{.name = "ring", .type = EMV_OBJ_SHMEM, .rights = EMV_RIGHT_READ},
                 {.name = "ping", .type = EMV_OBJ_EVTCHN, .rights = EMV_RIGHT_NOTIFY, .peer_vm = 1},
                 {.name = "vm-b", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_BIND, .peer_vm = 1},
                 {.name = "vm-c", .type = EMV_OBJ_VM, .rights = EMV_RIGHT_CONTROL, .peer_vm = 2}},
    };
    struct hc_call c;
    uint64_t a[6] = {EMV_HC_EVTCHN_ALLOC_UNBOUND, 2, 0, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, a, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
    assert_ptr_equal(c.obj, &vm.objs[2]);
    a[1] = 3; /* a VM object without BIND */
    assert_int_equal(hc_decode(&ram, 0, a, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EPERM);
    a[1] = 1; /* a channel end is no VM */
    assert_int_equal(hc_decode(&ram, 0, a, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
    a[1] = 4; /* past the table: not an object, whatever the run-time ports are */
    assert_int_equal(hc_decode(&ram, 0, a, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);

    uint64_t b[6] = {EMV_HC_EVTCHN_BIND, 2, EMV_MAX_OBJS - 1, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, b, false, &c), 0);
    assert_int_equal(c.arg2, EMV_MAX_OBJS - 1);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
    assert_ptr_equal(c.obj, &vm.objs[2]);
    b[2] = EMV_MAX_OBJS; /* no VM has such a port */
    assert_int_equal(hc_decode(&ram, 0, b, false, &c), -EMV_EINVAL);
    b[2] = UINT64_MAX;
    assert_int_equal(hc_decode(&ram, 0, b, false, &c), -EMV_EINVAL);
    b[1] = 3, b[2] = 5;
    assert_int_equal(hc_decode(&ram, 0, b, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EPERM);

    uint64_t k[6] = {EMV_HC_EVTCHN_CLOSE, 1, 0, 0, 0, 0};
    assert_int_equal(hc_decode(&ram, 0, k, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EPERM); /* the config's channel */
    k[1] = 0;
    assert_int_equal(hc_decode(&ram, 0, k, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL); /* a region is no port */
    k[1] = 4;
    assert_int_equal(hc_decode(&ram, 0, k, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
    assert_null(c.obj);
    k[1] = EMV_MAX_OBJS;
    assert_int_equal(hc_decode(&ram, 0, k, false, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);

    /* NOTIFY, MASK, GRANT_CREATE/MAP: a run-time port index passes to the act half. */
    static const uint64_t nrs[] = {EMV_HC_EVTCHN_NOTIFY, EMV_HC_EVTCHN_MASK, EMV_HC_GRANT_MAP};
    for (unsigned i = 0; i < 3; i++) {
        uint64_t x[6] = {nrs[i], 4, 0, 0, 0, 0};
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), 0);
        assert_null(c.obj);
        assert_int_equal(c.arg, 4);
        x[1] = EMV_MAX_OBJS;
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
        x[1] = 2; /* a VM object is no port */
        assert_int_equal(hc_decode(&ram, 0, x, false, &c), 0);
        assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL);
    }
}

static int grant_call(uint64_t nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                      struct hc_call *c)
{
    uint64_t x[6] = {nr, a1, a2, a3, a4, 0};
    return hc_decode(&ram, 0, x, false, c);
}

/* Grants: whole pages of the caller's own RAM only, bounded counts, known flags. */
static void test_grant_create(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40002000, 2, EMV_GRANT_RO, &c), 0);
    assert_int_equal(c.buf_pa, 0x48002000);
    assert_int_equal(c.len, 2);
    assert_int_equal(c.arg, 1);
    assert_int_equal(c.arg2, EMV_GRANT_RO);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40fff000, 1, 0, &c), 0); /* last page */
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40fff000, 2, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40002800, 1, 0, &c), -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40002000, 0, 0, &c), -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40000000, EMV_GRANT_MAX_PAGES + 1, 0, &c),
                     -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40000000, UINT64_MAX, 0, &c),
                     -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x40000000, 1, 2, &c), -EMV_EINVAL);
    /* Not its RAM: a device, a shared region, its grant window, the GIC, wrap-around. */
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x9000000, 1, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, EMV_SHMEM_IPA_BASE, 1, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, EMV_GRANT_IPA_BASE, 1, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x8000000, 1, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0x3ffff000, 2, 0, &c), -EMV_EFAULT);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 1, 0xfffffffffffff000UL, 1, 0, &c),
                     -EMV_EFAULT);
}

static void test_grant_refs_and_window(void **state)
{
    (void)state;
    struct hc_call c;
    assert_int_equal(grant_call(EMV_HC_GRANT_REVOKE, EMV_GRANT_MAX - 1, 0, 0, 0, &c), 0);
    assert_int_equal(grant_call(EMV_HC_GRANT_REVOKE, EMV_GRANT_MAX, 0, 0, 0, &c), -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_REVOKE, UINT64_MAX, 0, 0, 0, &c), -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_MAP, 3, 0, 0, 0, &c), 0);
    assert_int_equal(c.arg, 3);
    assert_int_equal(grant_call(EMV_HC_GRANT_MAP, 3, EMV_GRANT_MAX, 0, 0, &c), -EMV_EINVAL);
    ipa_t last = EMV_GRANT_IPA_BASE + (EMV_GRANT_WINDOW_PAGES - 1) * 0x1000UL;
    assert_int_equal(grant_call(EMV_HC_GRANT_UNMAP, last, 0, 0, 0, &c), 0);
    assert_int_equal(c.arg, EMV_GRANT_WINDOW_PAGES - 1);
    assert_int_equal(grant_call(EMV_HC_GRANT_UNMAP, last + 0x1000, 0, 0, 0, &c), -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_UNMAP, EMV_GRANT_IPA_BASE + 8, 0, 0, 0, &c),
                     -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_UNMAP, EMV_GRANT_IPA_BASE - 0x1000, 0, 0, 0, &c),
                     -EMV_EINVAL);
    assert_int_equal(grant_call(EMV_HC_GRANT_UNMAP, UINT64_MAX & ~0xfffUL, 0, 0, 0, &c),
                     -EMV_EINVAL);
    /* The peer is named by one of the caller's own channel ends, nothing else. */
    static struct emv_vm_cfg vm = {
        .nr_objs = 2,
        .objs = {{.name = "ring", .type = EMV_OBJ_SHMEM, .rights = 3},
                 {.name = "ch", .type = EMV_OBJ_EVTCHN, .rights = 0, .peer_vm = 1}},
    };
    assert_int_equal(grant_call(EMV_HC_GRANT_MAP, 1, 0, 0, 0, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0);
    assert_ptr_equal(c.obj, &vm.objs[1]);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 0, 0x40000000, 1, 0, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL); /* a region is not a channel end */
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, 2, 0x40000000, 1, 0, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), 0); /* a run-time port: evport checks it */
    assert_null(c.obj);
    assert_int_equal(grant_call(EMV_HC_GRANT_CREATE, EMV_MAX_OBJS, 0x40000000, 1, 0, &c), 0);
    assert_int_equal(hc_decode_obj(&vm, &c), -EMV_EINVAL); /* no port at all */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_range_translation),     cmocka_unit_test(test_console_write),
        cmocka_unit_test(test_unknown_and_immediate), cmocka_unit_test(test_privilege),
        cmocka_unit_test(test_name_and_block),        cmocka_unit_test(test_sched_set),
        cmocka_unit_test(test_retired_messages),      cmocka_unit_test(test_object_decode),
        cmocka_unit_test(test_sched_objects),         cmocka_unit_test(test_runtime_ports),
        cmocka_unit_test(test_grant_create),          cmocka_unit_test(test_grant_refs_and_window),
    };
    return cmocka_run_group_tests_name("hc_decode", tests, NULL, NULL);
}
