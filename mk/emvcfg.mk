# SPDX-License-Identifier: MIT
# emvcfg: the host config compiler/checker (libfdt) and its unit test.

EMVCFG      := $(HOSTB)/emvcfg
EMVCFG_OBJD := $(HOSTB)/emvcfg-obj
EMVCFG_LIB  := tools/emvcfg/cfg_parse.c tools/emvcfg/cfg_check.c tools/emvcfg/cfg_gen.c \
               $(wildcard rt/*.c)
EMVCFG_CFLAGS := $(HOST_CFLAGS) -Itools/emvcfg -Irt
EMVCFG_LIB_OBJS := $(patsubst %.c,$(EMVCFG_OBJD)/%.o,$(EMVCFG_LIB))

$(EMVCFG_OBJD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(EMVCFG_CFLAGS) -c $< -o $@

$(EMVCFG): $(EMVCFG_OBJD)/tools/emvcfg/emvcfg.o $(EMVCFG_LIB_OBJS)
	$(HOSTCC) -o $@ $^ -lfdt

$(HOSTB)/test_cfg: $(EMVCFG_OBJD)/tests/unit/test_cfg.o $(EMVCFG_LIB_OBJS)
	$(HOSTCC) -o $@ $^ -lfdt -lcmocka

HOST_TOOLS += $(EMVCFG)
UNIT_TESTS += $(HOSTB)/test_cfg
-include $(EMVCFG_LIB_OBJS:.o=.d) $(EMVCFG_OBJD)/tools/emvcfg/emvcfg.d \
         $(EMVCFG_OBJD)/tests/unit/test_cfg.d
