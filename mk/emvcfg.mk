# SPDX-License-Identifier: MIT
# emvcfg: the host config compiler/checker (libfdt) and its unit tests (tests/unit/test_cfg*.c).
# Objects go to build/host/emvcfg-obj/, rt/ included, so these rules never meet rt.mk's.

EMVCFG      := $(HOSTB)/emvcfg
EMVCFG_OBJD := $(HOSTB)/emvcfg-obj
# mk/*.mk are included in name order, so rt.mk's RT_SRCS may not be set yet here.
EMVCFG_RT   := $(if $(RT_SRCS),$(RT_SRCS),$(wildcard rt/*.c))
EMVCFG_LIB  := tools/emvcfg/cfg_parse.c tools/emvcfg/cfg_check.c tools/emvcfg/cfg_gen.c \
               tools/emvcfg/cfg_check_obj.c tools/emvcfg/cfg_objs.c tools/emvcfg/cfg_bootinfo.c \
               tools/emvcfg/cfg_tasks.c tools/emvcfg/cfg_settings.c tools/emvcfg/cfg_linux.c \
               $(EMVCFG_RT)
EMVCFG_CFLAGS := $(HOST_CFLAGS) -Itools/emvcfg -Irt -iquote guests/minios -iquote guests/apps
EMVCFG_LIB_OBJS := $(patsubst %.c,$(EMVCFG_OBJD)/%.o,$(EMVCFG_LIB))
EMVCFG_TESTS := $(patsubst tests/unit/%.c,$(HOSTB)/%,$(wildcard tests/unit/test_cfg*.c))
EMVCFG_ALL_OBJS := $(EMVCFG_LIB_OBJS) $(EMVCFG_OBJD)/tools/emvcfg/emvcfg.o \
                   $(patsubst $(HOSTB)/%,$(EMVCFG_OBJD)/tests/unit/%.o,$(EMVCFG_TESTS))

$(EMVCFG_ALL_OBJS): $(EMVCFG_OBJD)/%.o: %.c
	@mkdir -p $(@D)
	$(HOSTCC) $(EMVCFG_CFLAGS) -c $< -o $@

$(EMVCFG): $(EMVCFG_OBJD)/tools/emvcfg/emvcfg.o $(EMVCFG_LIB_OBJS)
	$(HOSTCC) -o $@ $^ -lfdt

$(EMVCFG_TESTS): $(HOSTB)/%: $(EMVCFG_OBJD)/tests/unit/%.o $(EMVCFG_LIB_OBJS)
	$(HOSTCC) -o $@ $^ -lfdt -lcmocka

.PHONY: emvcfg-test
emvcfg-test: $(EMVCFG) $(EMVCFG_TESTS)
	@for t in $(EMVCFG_TESTS); do CMOCKA_MESSAGE_OUTPUT=TAP $$t || exit 1; done
	@bash tests/cli/emvcfg.sh

HOST_TOOLS += $(EMVCFG)
UNIT_TESTS += $(EMVCFG_TESTS)
-include $(EMVCFG_ALL_OBJS:.o=.d)

# minios's boot-information reader against emvcfg's writer (and libfdt's for damaged blobs):
# the very fdtread.c (hyp/lib: the hypervisor reads the board's device tree with it too), taskset.c and guestcfg.c the guest links, under AddressSanitizer.
MINIOS_BI_SRCS := tests/unit/test_minios_bootinfo.c hyp/lib/fdtread.c guests/minios/taskset.c \
                  guests/minios/guestcfg.c
$(HOSTB)/test_minios_bootinfo: $(MINIOS_BI_SRCS) $(EMVCFG_LIB_OBJS) hyp/lib/fdtread.h \
                               guests/minios/taskset.h guests/minios/rtsched.h guests/minios/guestcfg.h
	@mkdir -p $(HOSTB)
	$(HOSTCC) $(filter-out -MMD -MP,$(EMVCFG_CFLAGS)) -iquote hyp/lib -fsanitize=address,undefined \
	    -fno-sanitize-recover=all -o $@ $(MINIOS_BI_SRCS) $(EMVCFG_LIB_OBJS) -lfdt -lcmocka
UNIT_TESTS += $(HOSTB)/test_minios_bootinfo
