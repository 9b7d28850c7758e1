# SPDX-License-Identifier: MIT
# Host unit tests of the hypervisor's pure logic: the very files the hypervisor links.

HYP_UNIT_INC := -Ihyp -Ihyp/lib -Ihyp/include -Ihyp/arch/aarch64 -Iinclude -Ihyp/platform/$(PLATFORM)
HYP_UNIT := s2pt:hyp/arch/aarch64/s2pt.c hc_decode:hyp/core/hc_decode.c grant:hyp/core/grant.c \
            evport:hyp/core/evport.c \
            vgic:hyp/core/vgic_emul.c sched_rr:hyp/core/sched/rr.c \
            conring:hyp/lib/conring.c+hyp/lib/fmt.c mmio: ticks: dma:hyp/core/dma.c \
            sysreg_emul:hyp/arch/aarch64/sysreg_emul.c \
            sched_rt:hyp/core/sched/rtsched.c+hyp/core/sched/rr.c+hyp/core/sched/credit.c \
            vpsci:hyp/core/vpsci_decode.c vmreset:hyp/core/vmreset.c seed:hyp/core/seed.c+hyp/lib/fdtread.c vpl011:hyp/core/vpl011_emul.c coninput:hyp/core/coninput.c

HYP_UNIT_HDRS := $(wildcard include/emv/*.h hyp/*/*.h hyp/*/*/*.h)

# Every hypervisor header is a prerequisite: a changed struct must rebuild the tests.
define hyp_unit_rule
$(HOSTB)/test_$(1): tests/unit/test_$(1).c $(2) $(HYP_UNIT_HDRS)
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) $(HYP_UNIT_INC) -o $$@ \
	    $$(filter %.c,$$^) -lcmocka -lfdt
UNIT_TESTS += $(HOSTB)/test_$(1)
endef

$(foreach t,$(HYP_UNIT),$(eval $(call hyp_unit_rule,$(word 1,$(subst :, ,$(t))),$(subst +, ,$(word 2,$(subst :, ,$(t)))))))

# The control VM's admission logic and its rings, with the real rt/ and ring libraries and the
# shared formatter.
ADMIT_UNIT_SRCS := tests/unit/test_admit.c guests/control/admit.c guests/control/serve.c \
                   guests/lib/ring.c hyp/lib/fmt.c $(wildcard rt/*.c)
$(HOSTB)/test_admit: $(ADMIT_UNIT_SRCS) guests/control/admit.h guests/control/serve.h \
                     include/emv/admit.h include/emv/ring.h rt/rt.h
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Iguests/control -Ihyp/lib -Irt -Iinclude \
	    -o $@ $(ADMIT_UNIT_SRCS) -lcmocka
UNIT_TESTS += $(HOSTB)/test_admit

# minios's periodic real-time task bookkeeping: the very rtsched.c the guest links.
MINIOS_RT_UNIT_SRCS := tests/unit/test_minios_rt.c guests/minios/rtsched.c
$(HOSTB)/test_minios_rt: $(MINIOS_RT_UNIT_SRCS) guests/minios/rtsched.h
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Iguests/minios -o $@ $(MINIOS_RT_UNIT_SRCS) \
	    -lcmocka
UNIT_TESTS += $(HOSTB)/test_minios_rt

# minios's choice of the next thread: the very threadq.c the guest links.
MINIOS_THREAD_UNIT_SRCS := tests/unit/test_minios_thread.c guests/minios/threadq.c
$(HOSTB)/test_minios_thread: $(MINIOS_THREAD_UNIT_SRCS) guests/minios/threadq.h
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(HOST_CFLAGS)) -Iguests/minios -o $@ \
	    $(MINIOS_THREAD_UNIT_SRCS) -lcmocka
UNIT_TESTS += $(HOSTB)/test_minios_thread
