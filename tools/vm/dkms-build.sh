#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms-build.sh ALIAS OUTDIR
#
# Proves the DKMS path for kernel ALIAS (see fetch-kernel.sh): the package's
# files are laid out as `dkms add` expects them under /usr/src (by `make
# install-dkms-source`, as in the drm-sgdemo-dkms package), and Debian's
# dkms builds the module for the kernel's ABI from dkms.conf alone, with a
# source and a dkms tree of its own in OUTDIR (the system's /usr/src and
# /var/lib/dkms are never touched). On the host for bookworm kernels, in the
# sid chroot (with sid's dkms) for the others. The built module must carry
# the kernel's vermagic.
set -euo pipefail
. "$(dirname "$0")/common.sh"
alias=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
. "$CACHE/k/$alias.env"
ver=$(sgdemo_version)

rm -rf "$out/root" "$out/tree"
mkdir -p "$out/root" "$out/tree"
make -s -C "$TOP" install-dkms-source DESTDIR="$out/root"
grep -q "^PACKAGE_VERSION=\"$ver\"$" "$out/root/usr/src/drm_sgdemo-$ver/dkms.conf" ||
	die "dkms.conf of drm_sgdemo-$ver does not say PACKAGE_VERSION=\"$ver\""
cmd=(dkms build -m drm_sgdemo -v "$ver" -k "$ABI" --kernelsourcedir "$KDIR"
     --sourcetree "$out/root/usr/src" --dkmstree "$out/tree")
kernel_run "$out" "$out/dkms.log" dkms "${cmd[@]}"
ko=$out/tree/drm_sgdemo/$ver/$ABI/x86_64/module/drm_sgdemo.ko
[ -f "$ko" ] || ko=$(ls "$ko".* 2>/dev/null | head -1 || true)
[ -n "$ko" ] && [ -f "$ko" ] || { cat "$out/dkms.log"; die "dkms built no drm_sgdemo.ko for $ABI"; }
vermagic=$(modinfo -F vermagic "$ko")
[ "$(modinfo -F version "$ko")" = "$ver" ] || die "dkms: $ko has version '$(modinfo -F version "$ko")', not $ver"
case $vermagic in
"$ABI "*) echo "dkms: drm_sgdemo $ver built for $ABI ($(basename "$ko"), version $ver, vermagic $vermagic)" ;;
*) die "dkms: $ko has vermagic '$vermagic', not $ABI" ;;
esac
