# SPDX-License-Identifier: GPL-2.0
#
# drm_sgdemo: out-of-tree build of the module, and the project's targets.
#
#   make [KDIR=...]     build drm_sgdemo/drm_sgdemo.ko for KDIR (default: running kernel)
#   make demo           boot the default kernel in QEMU and walk through the driver
#   make check          build for every kernel of KERNELS and run all tests in QEMU guests,
#                       once per DMA setup of the kernel (direct, swiotlb, iommu; SETUPS=...
#                       keeps some); TESTS='igt@sgdemo_sgt@owned-facts ...' runs only those
#                       IGT tests (globs) with the harness's leak and splat checks (the inner loop)
#   make shell          a root shell in a guest of KERNEL with the driver loaded and the
#                       tools on PATH; leave it with exit, poweroff -f or Ctrl-a x
#   make check-debug    the same on a KASAN/lockdep/kmemleak/KUnit kernel with sgdemo built in
#   make lint           checkpatch --strict, kernel-doc, uAPI header alone, docs, sparse + W=1
#   make bench          sgdemo against vgem and the memset limit, side by side (out/bench)
#   make docs           render docs/ (with the kernel-doc of the sources) as HTML in out/docs
#   make install        modules_install into INSTALL_MOD_PATH (updates/), the uAPI header and
#                       its pkg-config file under DESTDIR/PREFIX; `make uninstall` undoes it
#   make clean          remove build products (the kernel cache stays: see README.md)

KDIR ?= /lib/modules/$(shell uname -r)/build
# The kernels are listed in tools/vm/kernels: KERNELS defaults to its check
# group, DEMO_KERNEL and KERNEL to the first of KERNELS.
KERNELS ?=
DEMO_KERNEL ?= $(firstword $(KERNELS))
KERNEL ?= $(DEMO_KERNEL)
export KERNELS TESTS SETUPS

# The version lives in dkms.conf only.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(PREFIX)/share/pkgconfig
# The release of the kernel in KDIR, as uname -r says it (6.12.117+deb12-amd64).
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo CONFIG_DRM_SGDEMO=m modules

modules_clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo clean

install: install-module install-headers

# Distribution kernels sign their modules with a key only they hold: ours
# stay unsigned (CONFIG_MODULE_SIG_ALL= skips sign-file). Headers packages
# have no System.map, so kbuild skips depmod; it runs here.
install-module: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo CONFIG_DRM_SGDEMO=m INSTALL_MOD_DIR=updates \
		CONFIG_MODULE_SIG_ALL= modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)

install-headers:
	install -D -m 0644 uapi/drm_sgdemo.h $(DESTDIR)$(INCLUDEDIR)/drm/drm_sgdemo.h
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' uapi/drm_sgdemo.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/drm_sgdemo.pc

uninstall:
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)/updates/drm_sgdemo.ko* \
	      $(INSTALL_MOD_PATH)/usr/lib/modules/$(KRELEASE)/updates/drm_sgdemo.ko*
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)
	rm -f $(DESTDIR)$(INCLUDEDIR)/drm/drm_sgdemo.h $(DESTDIR)$(PKGCONFIGDIR)/drm_sgdemo.pc

check:
	@tools/vm/check.sh

check-debug:
	@KERNELS=debug CHECK_OUT=check-debug GUEST_TIMEOUT=$${GUEST_TIMEOUT:-1800} CHECK_JOBS=1 GUEST_SMP=2 tools/vm/check.sh

demo:
	@tools/vm/demo.sh $(DEMO_KERNEL)

shell:
	@tools/vm/run --shell $(KERNEL)

lint:
	@tools/vm/lint.sh

bench:
	@tools/vm/bench.sh

docs:
	@tools/vm/docs.sh

clean:
	rm -rf out
	rm -f drm_sgdemo/*.o drm_sgdemo/*.ko drm_sgdemo/*.mod drm_sgdemo/*.mod.c \
	      drm_sgdemo/.*.cmd drm_sgdemo/Module.symvers drm_sgdemo/modules.order

.PHONY: all modules modules_clean install install-module install-headers uninstall \
	check check-debug demo shell lint bench docs clean
