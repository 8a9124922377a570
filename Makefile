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
#   make deb            the Debian packages (dpkg-buildpackage in a copy of the tree) and
#                       lintian's verdict, in out/deb (docs/packaging.md)
#   make userspace      libsgdemo.so.0, the sgdemo client, its manual page and the pkg-config
#                       files in BUILDDIR; `make install-userspace` installs them (debian/rules)
#   make install-dkms-source  the module's source and dkms.conf in DESTDIR/usr/src/drm_sgdemo-VERSION
#   make clean          remove build products (the kernel cache stays: see README.md)

KDIR ?= /lib/modules/$(shell uname -r)/build
# The kernels are listed in tools/vm/kernels: KERNELS defaults to its check
# group, DEMO_KERNEL and KERNEL to the first of KERNELS.
KERNELS ?=
DEMO_KERNEL ?= $(firstword $(KERNELS))
KERNEL ?= $(DEMO_KERNEL)
export KERNELS TESTS SETUPS PACKAGES

# The version lives in debian/changelog only, where dpkg takes it: its first
# line's version, less epoch and Debian revision (docs/packaging.md). Where
# there is no changelog (the DKMS tree under /usr/src), dkms.conf passes it.
SGDEMO_VERSION ?= $(shell $(CURDIR)/tools/version 2>/dev/null)
SGDEMO_VERSION := $(SGDEMO_VERSION)
PREFIX ?= /usr/local
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(PREFIX)/share/pkgconfig
LIBDIR ?= $(PREFIX)/lib
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BUILDDIR ?= $(CURDIR)/out/userspace
# The release of the kernel in KDIR, as uname -r says it (6.12.117+deb12-amd64).
KRELEASE = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo CONFIG_DRM_SGDEMO=m SGDEMO_VERSION=$(SGDEMO_VERSION) modules

modules_clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo clean

install: install-module install-headers

# Distribution kernels sign their modules with a key only they hold: ours
# stay unsigned (CONFIG_MODULE_SIG_ALL= skips sign-file). Headers packages
# have no System.map, so kbuild skips depmod; it runs here.
install-module: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/drm_sgdemo CONFIG_DRM_SGDEMO=m INSTALL_MOD_DIR=updates \
		SGDEMO_VERSION=$(SGDEMO_VERSION) CONFIG_MODULE_SIG_ALL= modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)

install-headers:
	install -D -m 0644 uapi/drm_sgdemo.h $(DESTDIR)$(INCLUDEDIR)/drm/drm_sgdemo.h
	install -d $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(SGDEMO_VERSION)|' uapi/drm_sgdemo.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/drm_sgdemo.pc

uninstall:
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(KRELEASE)/updates/drm_sgdemo.ko* \
	      $(INSTALL_MOD_PATH)/usr/lib/modules/$(KRELEASE)/updates/drm_sgdemo.ko*
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KRELEASE)
	rm -f $(DESTDIR)$(INCLUDEDIR)/drm/drm_sgdemo.h $(DESTDIR)$(PKGCONFIGDIR)/drm_sgdemo.pc

# --- userspace: libsgdemo (shared, soname libsgdemo.so.0, symbol versions
# from lib/libsgdemo.map), the sgdemo client linked with it, sgdemo(1) and
# the pkg-config files, built in BUILDDIR (debian/rules builds and installs
# them this way; the harness builds its own static copy, build-userspace.sh).
# CFLAGS, CPPFLAGS and LDFLAGS are the builder's (dpkg-buildflags).
SOMAJOR = 0
CC ?= cc
CFLAGS ?= -O2 -g
SGDEMO_CFLAGS = -std=gnu11 -Wall -Wextra -Wno-unused-parameter -fPIC -Iuapi -Ilib -Itools/common \
		-DSGDEMO_VERSION='"$(SGDEMO_VERSION)"' $(shell pkg-config --cflags libdrm)
DRM_LIBS = $(shell pkg-config --libs libdrm)

userspace: $(BUILDDIR)/libsgdemo.so.$(SGDEMO_VERSION) $(BUILDDIR)/sgdemo $(BUILDDIR)/sgdemo.1 \
	   $(BUILDDIR)/libsgdemo.pc $(BUILDDIR)/drm_sgdemo.pc

$(BUILDDIR)/libsgdemo.so.$(SGDEMO_VERSION): lib/sgdemo.c lib/sgdemo.h lib/libsgdemo.map uapi/drm_sgdemo.h
	@mkdir -p $(BUILDDIR)
	$(CC) $(CPPFLAGS) $(SGDEMO_CFLAGS) $(CFLAGS) -shared -o $@ lib/sgdemo.c $(LDFLAGS) \
		-Wl,-soname,libsgdemo.so.$(SOMAJOR) -Wl,--version-script,lib/libsgdemo.map \
		-Wl,--no-undefined $(DRM_LIBS)
	ln -sf libsgdemo.so.$(SGDEMO_VERSION) $(BUILDDIR)/libsgdemo.so.$(SOMAJOR)
	ln -sf libsgdemo.so.$(SOMAJOR) $(BUILDDIR)/libsgdemo.so

$(BUILDDIR)/sgdemo: tools/client/sgdemo.c $(BUILDDIR)/libsgdemo.so.$(SGDEMO_VERSION)
	$(CC) $(CPPFLAGS) $(SGDEMO_CFLAGS) $(CFLAGS) -o $@ tools/client/sgdemo.c $(LDFLAGS) \
		-L$(BUILDDIR) -lsgdemo $(DRM_LIBS)

$(BUILDDIR)/sgdemo.1: man/sgdemo.1
	@mkdir -p $(BUILDDIR)
	sed 's|@VERSION@|$(SGDEMO_VERSION)|' man/sgdemo.1 > $@

$(BUILDDIR)/libsgdemo.pc: lib/libsgdemo.pc.in
	@mkdir -p $(BUILDDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@VERSION@|$(SGDEMO_VERSION)|' lib/libsgdemo.pc.in > $@

$(BUILDDIR)/drm_sgdemo.pc: uapi/drm_sgdemo.pc.in
	@mkdir -p $(BUILDDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(SGDEMO_VERSION)|' uapi/drm_sgdemo.pc.in > $@

install-userspace: userspace
	install -D -m 0644 $(BUILDDIR)/libsgdemo.so.$(SGDEMO_VERSION) \
		$(DESTDIR)$(LIBDIR)/libsgdemo.so.$(SGDEMO_VERSION)
	ln -sf libsgdemo.so.$(SGDEMO_VERSION) $(DESTDIR)$(LIBDIR)/libsgdemo.so.$(SOMAJOR)
	ln -sf libsgdemo.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libsgdemo.so
	install -D -m 0644 $(BUILDDIR)/libsgdemo.pc $(DESTDIR)$(LIBDIR)/pkgconfig/libsgdemo.pc
	install -D -m 0644 $(BUILDDIR)/drm_sgdemo.pc $(DESTDIR)$(PKGCONFIGDIR)/drm_sgdemo.pc
	install -D -m 0644 lib/sgdemo.h $(DESTDIR)$(INCLUDEDIR)/sgdemo.h
	install -D -m 0644 uapi/drm_sgdemo.h $(DESTDIR)$(INCLUDEDIR)/drm/drm_sgdemo.h
	install -D -m 0755 $(BUILDDIR)/sgdemo $(DESTDIR)$(BINDIR)/sgdemo
	install -D -m 0644 $(BUILDDIR)/sgdemo.1 $(DESTDIR)$(MANDIR)/man1/sgdemo.1

# The module's source as DKMS takes it (dkms add drm_sgdemo/VERSION), with
# dkms.conf's #MODULE_VERSION# filled in as dh_dkms does.
DKMS_SRC = $(DESTDIR)/usr/src/drm_sgdemo-$(SGDEMO_VERSION)
install-dkms-source:
	install -d $(DKMS_SRC)/drm_sgdemo/tests $(DKMS_SRC)/uapi
	install -m 0644 Makefile Kconfig $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(SGDEMO_VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf
	install -m 0644 drm_sgdemo/Kbuild drm_sgdemo/*.[ch] $(DKMS_SRC)/drm_sgdemo/
	install -m 0644 drm_sgdemo/tests/*.[ch] $(DKMS_SRC)/drm_sgdemo/tests/
	install -m 0644 uapi/drm_sgdemo.h $(DKMS_SRC)/uapi/

# The Debian packages, built by dpkg-buildpackage in a copy of the tree's
# files (git's list: no build products) under out/deb, then lintian.
deb:
	@tools/deb.sh

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
	userspace install-userspace install-dkms-source deb check check-debug demo shell lint bench docs clean
