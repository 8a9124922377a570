#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms-build.sh ALIAS OUTDIR
#
# Proves the DKMS path for kernel ALIAS (see fetch-kernel.sh): the package's
# files are laid out as `dkms add` expects them under /usr/src, and Debian's
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
ver=$(dkms_version)
src=$out/src/drm_sgdemo-$ver

rm -rf "$out/src" "$out/tree"
mkdir -p "$src" "$out/tree"
(cd "$TOP" && cp -a dkms.conf Makefile Kconfig drm_sgdemo uapi "$src/")
cmd=(dkms build -m drm_sgdemo -v "$ver" -k "$ABI" --kernelsourcedir "$KDIR"
     --sourcetree "$out/src" --dkmstree "$out/tree")
kernel_run "$out" "$out/dkms.log" dkms "${cmd[@]}"
ko=$out/tree/drm_sgdemo/$ver/$ABI/x86_64/module/drm_sgdemo.ko
[ -f "$ko" ] || ko=$(ls "$ko".* 2>/dev/null | head -1 || true)
[ -n "$ko" ] && [ -f "$ko" ] || { cat "$out/dkms.log"; die "dkms built no drm_sgdemo.ko for $ABI"; }
vermagic=$(modinfo -F vermagic "$ko")
case $vermagic in
"$ABI "*) echo "dkms: drm_sgdemo $ver built for $ABI ($(basename "$ko"), vermagic $vermagic)" ;;
*) die "dkms: $ko has vermagic '$vermagic', not $ABI" ;;
esac
