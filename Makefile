# SPDX-License-Identifier: GPL-2.0
#
# drm_sgdemo: out-of-tree build of the module, and the project's targets.
#
#   make [KDIR=...]     build drm_sgdemo/drm_sgdemo.ko for KDIR (default: running kernel)
#   make demo           boot the default kernel in QEMU and walk through the driver
#   make check          build for every kernel of KERNELS and run all tests in QEMU guests
#   make check-debug    the same on a KASAN/lockdep/kmemleak/KUnit kernel with sgdemo built in
#   make clean          remove build products (the kernel cache stays: see README.md)

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNELS ?= 6.1 6.12 7.2
DEMO_KERNEL ?= $(firstword $(KERNELS))
export KERNELS

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo CONFIG_DRM_SGDEMO=m modules

modules_clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo clean

check:
	@tools/vm/check.sh

check-debug:
	@KERNELS=debug GUEST_TIMEOUT=$${GUEST_TIMEOUT:-1800} CHECK_JOBS=1 GUEST_SMP=2 tools/vm/check.sh

demo:
	@tools/vm/demo.sh $(DEMO_KERNEL)

clean:
	rm -rf out
	rm -f drm_sgdemo/*.o drm_sgdemo/*.ko drm_sgdemo/*.mod drm_sgdemo/*.mod.c \
	      drm_sgdemo/.*.cmd drm_sgdemo/Module.symvers drm_sgdemo/modules.order

.PHONY: all modules modules_clean check check-debug demo clean
