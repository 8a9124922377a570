#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel.sh [ALIAS]: builds the kernel of `make check-debug` (ALIAS,
# default debug: its row in tools/vm/kernels names the source package).
#
# Debian's linux-source-7.2 (from sid, private apt config), x86_64 defconfig +
# kernel/configs/kvm_guest.config + tools/vm/debug.config, with drm_sgdemo
# dropped into drivers/gpu/drm/drm_sgdemo and hooked into its Kconfig and
# Makefile: the in-tree path, CONFIG_DRM_SGDEMO=y, with the KUnit suite; the
# DRM core fixes of patches/ applied (SGDEMO_CORE_PATCHES=0: not). Built
# in the sid chroot with the newest gcc at hand. Objects live in a build folder
# keyed by the source version and the fragment's hash, so a rerun rebuilds
# only what changed (the driver). Writes $CACHE/k/ALIAS.env.
set -euo pipefail
. "$(dirname "$0")/common.sh"
alias=${1:-debug}
D=$CACHE/debug
mkdir -p "$D"

read -r src ver < <(linux_source)
[ -n "$ver" ] || die "the debug kernel's source is not ready"

# The driver, in tree: sources, uAPI header, Kconfig and Makefile hooks.
# Only files whose content changed are copied, and they get the time of the
# copy: make then rebuilds exactly what changed (a source's own time can be
# older than an object built from an earlier copy).
"$VM/sid-root.sh" bc bison flex libelf-dev libssl-dev cpio python3 perl
sync_file()
{
	mkdir -p "$(dirname "$2")"
	cmp -s "$1" "$2" || cp "$1" "$2"
}
dst=$src/drivers/gpu/drm/drm_sgdemo
driver_sources()
{
	(cd "$1" && find . -type f \( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c' |
		sed 's|^\./||' | sort)
}
driver_sources "$TOP/drm_sgdemo" > "$D/driver-files"
if [ -d "$dst" ]; then
	driver_sources "$dst" | comm -13 "$D/driver-files" - | while read -r gone; do
		rm -f "$dst/$gone"
	done
fi
while read -r f; do sync_file "$TOP/drm_sgdemo/$f" "$dst/$f"; done < "$D/driver-files"
sync_file "$TOP/Kconfig" "$dst/Kconfig"
# Harness self-test, CHECK_PLANT=uaf|lock-inversion: a planted bug from
# tools/vm/selftest, in the in-tree copy only. The next run without it copies
# the clean file back, and make rebuilds it.
if [ -n "${CHECK_PLANT:-}" ]; then
	plant=$VM/selftest/plant-$CHECK_PLANT.patch
	[ -f "$plant" ] || die "no planted bug '$CHECK_PLANT' (tools/vm/selftest/plant-*.patch)"
	patch -s -p2 -d "$dst" < "$plant" || die "cannot plant $CHECK_PLANT"
	say "planted bug for the harness self-test: $CHECK_PLANT"
fi
sync_file "$TOP/uapi/drm_sgdemo.h" "$src/include/uapi/drm/drm_sgdemo.h"

# The DRM core fixes of patches/ (patches/README.md), applied to pristine
# copies of the files they touch, kept from the unpacked tree the first time:
# each run starts from those (every file ever kept, so a dropped patch leaves
# nothing behind). SGDEMO_CORE_PATCHES=0 builds the kernel without them (then
# the vgem-* subtests of sgdemo_mmap fail, as on Debian's kernels).
pristine=$D/pristine-$ver
stage=$D/core-stage
for f in $(sed -n 's|^+++ b/||p' "$TOP"/patches/*.patch | sort -u); do
	[ ! -f "$pristine/$f" ] || continue
	[ -f "$src/$f" ] || die "patches/ touch $f, which $ver does not have"
	mkdir -p "$(dirname "$pristine/$f")"
	cp "$src/$f" "$pristine/$f"
done
for p in "$TOP"/patches/*.patch; do
	! patch --dry-run --batch -R -s -f -p1 -d "$pristine" < "$p" > /dev/null 2>&1 ||
		die "the kept copies of $ver are patched already ($(basename "$p")): rm -r $pristine $D/.src-* and run again"
done
rm -rf "$stage"
cp -r "$pristine" "$stage"
if [ "${SGDEMO_CORE_PATCHES:-1}" = 0 ]; then
	say "building without the DRM core fixes of patches/ (SGDEMO_CORE_PATCHES=0)"
else
	for p in "$TOP"/patches/*.patch; do
		patch --batch --forward --fuzz=0 -s -p1 -d "$stage" < "$p" ||
			die "patches/$(basename "$p") does not apply to $ver"
	done
fi
(cd "$stage" && find . -type f | sed 's|^\./||') | while read -r f; do
	sync_file "$stage/$f" "$src/$f"
done
grep -q drm_sgdemo "$src/drivers/gpu/drm/Kconfig" ||
	echo 'source "drivers/gpu/drm/drm_sgdemo/Kconfig"' >> "$src/drivers/gpu/drm/Kconfig"
grep -q drm_sgdemo "$src/drivers/gpu/drm/Makefile" ||
	echo 'obj-$(CONFIG_DRM_SGDEMO) += drm_sgdemo/' >> "$src/drivers/gpu/drm/Makefile"

key=$(cat "$VM/debug.config" "$src/kernel/configs/kvm_guest.config" | sha256sum | cut -c1-12)
out=$D/build-$ver-$key
mkdir -p "$out"
jobs=$(nproc)
t0=$(now)
if [ ! -f "$out/.config" ]; then
	say "configuring the debug kernel ($out)"
	SID_BINDS="$D $TOP" in_sid sh -c "cd '$src' && make -s O='$out' defconfig &&
		scripts/kconfig/merge_config.sh -m -O '$out' '$out/.config' \
			kernel/configs/kvm_guest.config '$VM/debug.config' > /dev/null &&
		make -s O='$out' olddefconfig"
fi
# Every option of the fragment must have survived olddefconfig.
missing=$(grep -E '^CONFIG_[A-Z0-9_]+=[ym]' "$VM/debug.config" | while read -r opt; do
	grep -qx "$opt" "$out/.config" || echo "$opt"; done)
[ -z "$missing" ] || die "debug config lost: $missing"
say "building the debug kernel with $(SID_BINDS="$D" in_sid gcc -dumpfullversion | head -1) (-j$jobs; the first build takes about 15 minutes)"
SID_BINDS="$D $TOP" in_sid sh -c "cd '$src' && make -s O='$out' -j$jobs bzImage" > "$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log"; die "debug kernel build failed"; }
if grep -E 'warning:' "$out/build.log" | grep -q drm_sgdemo; then
	grep -E 'warning:' "$out/build.log" | grep drm_sgdemo
	die "drm_sgdemo builds with warnings in tree"
fi
# Guest settings: ACPI off (its AML loop costs 30 s under TCG), room for KASAN.
printf 'ABI=%q\nKROOT=\nVMLINUZ=%q\nBUILTIN=1\nBUILD=builtin\nKCC=gcc\nGUEST_EXTRA=%q\nGUEST_MEM=2G\n' \
	"$ver-debug" "$out/arch/x86/boot/bzImage" "acpi=off log_buf_len=8M harness.stress=long" > "$CACHE/k/$alias.env"
echo "debug kernel ready in $(since "$t0")s: $out/arch/x86/boot/bzImage"
