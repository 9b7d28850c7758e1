# SPDX-License-Identifier: MIT
# Guests: minios + one app each -> build/guests/<app>.bin (position independent: loadable at
# any guest-physical address). Every minios guest links the I/O rings (guests/lib/ring.c,
# mk/ring.mk): last, so the code of guests that do not use them keeps its addresses.

GUEST_B     := $(BUILD)/guests
MINIOS_SRCS := $(wildcard guests/minios/*.c) hyp/lib/fmt.c hyp/lib/string.c hyp/lib/fdtread.c
MINIOS_ASRC := $(wildcard guests/minios/*.S)
GUEST_APPS  := $(patsubst guests/apps/%.c,%,$(wildcard guests/apps/*.c))
GUEST_CFLAGS := $(TGT_FLAGS) -fpie -Iguests/minios -Iguests/control -Ihyp/lib -Iinclude -Irt
MINIOS_OBJS := $(patsubst %.c,$(GUEST_B)/obj/%.o,$(MINIOS_SRCS)) \
               $(patsubst %.S,$(GUEST_B)/obj/%.o,$(MINIOS_ASRC)) \
               $(GUEST_B)/obj/guests/lib/ring.o
GUEST_BINS  := $(patsubst %,$(GUEST_B)/%.bin,$(GUEST_APPS))

$(GUEST_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_T) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_B)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC_T) $(GUEST_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(GUEST_B)/%.elf: $(GUEST_B)/obj/guests/apps/%.o $(MINIOS_OBJS) guests/minios/minios.ld
	$(CC_T) $(GUEST_CFLAGS) -static-pie -Wl,-T,guests/minios/minios.ld -Wl,--build-id=none \
	    -Wl,-z,norelro -Wl,--no-warn-rwx-segments -o $@ $< $(MINIOS_OBJS) -lgcc

$(GUEST_B)/%.bin: $(GUEST_B)/%.elf
	$(OBJCOPY) -O binary $< $@

# The control VM also links its admission logic and the rt/ analysis (freestanding).
CONTROL_OBJS := $(GUEST_B)/obj/guests/control/admit.o $(GUEST_B)/obj/guests/control/serve.o \
                $(patsubst %.c,$(GUEST_B)/obj/%.o,$(wildcard rt/*.c))
$(GUEST_B)/control.elf: $(GUEST_B)/obj/guests/apps/control.o $(MINIOS_OBJS) $(CONTROL_OBJS) \
                        guests/minios/minios.ld
	$(CC_T) $(GUEST_CFLAGS) -static-pie -Wl,-T,guests/minios/minios.ld -Wl,--build-id=none \
	    -Wl,-z,norelro -Wl,--no-warn-rwx-segments -o $@ $< $(MINIOS_OBJS) $(CONTROL_OBJS) -lgcc

# Bare guests: one assembly file each, no minios (e.g. several vCPUs, which minios lacks).
BARE_APPS := $(patsubst guests/bare/%.S,%,$(wildcard guests/bare/*.S))
BARE_BINS := $(patsubst %,$(GUEST_B)/%.bin,$(BARE_APPS))
$(patsubst %,$(GUEST_B)/%.elf,$(BARE_APPS)): $(GUEST_B)/%.elf: $(GUEST_B)/obj/guests/bare/%.o
	$(CC_T) -nostdlib -static -Wl,-Ttext=0 -Wl,-e,_start -Wl,--build-id=none -o $@ $<

guests: $(GUEST_BINS) $(BARE_BINS)

-include $(MINIOS_OBJS:.o=.d) $(CONTROL_OBJS:.o=.d) \
         $(patsubst %,$(GUEST_B)/obj/guests/apps/%.d,$(GUEST_APPS))
.SECONDARY:
