#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh [KERNEL]: `make demo`. Boots one kernel (default: the first of the
# check group of tools/vm/kernels) with drm_sgdemo
# and walks through a buffer's life with the sgdemo client (tools/client),
# showing the guest's console.
set -euo pipefail
. "$(dirname "$0")/common.sh"
k=${1:-$(kernels_in check | head -n 1)}
d=$TOP/out/demo/$k

say "preparing (host packages, kernel $k, sid userland): the first run takes a few minutes"
"$VM/host-deps.sh"
"$VM/fetch-kernel.sh" "$k" > /dev/null
"$VM/sid-root.sh"
. "$CACHE/k/$k.env"
rm -rf "$d"
mkdir -p "$d/share"
"$VM/build-userspace.sh" "$d/share/bin"
"$VM/build-module.sh" "$k" "$d/build" > "$d/build.log" 2>&1 || { cat "$d/build.log"; exit 1; }
"$VM/mkinitramfs.sh" "$k" "$d/initrd.cpio" "$VM/guest/demo.sh" "$d/build/drm_sgdemo/drm_sgdemo.ko"
say "booting $ABI under QEMU"
VERBOSE=1 "$VM/run-guest.sh" "$VMLINUZ" "$d/initrd.cpio" "$d/share" 300 |
	tr -d '\r' | grep -avE '^(iPXE|Press Ctrl-B|Booting from ROM)|^\s*$|\[\?7l'
