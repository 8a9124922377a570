#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh ALIAS OUT.cpio KO...
#
# Packs the guest's initramfs for kernel ALIAS: busybox-static, the modules the
# guest loads at boot (virtio/9p for the shared roots, vgem, and the closure of
# what the given .ko files depend on), the .ko files themselves under
# /lib/modules/extra (loaded by the guest's script, not at boot), our PID 1
# (guest/init) and the splat patterns. The script comes with the run's folder
# (tools/vm/run).
set -euo pipefail
. "$(dirname "$0")/common.sh"
alias=$1 out=$2
shift 2
. "$CACHE/k/$alias.env"

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w"/{bin,dev,etc,proc,sys,tmp,root,lib/modules/extra}
cp /bin/busybox "$w/bin/busybox"

# A kernel with everything built in (the debug kernel) needs no modules.
mods=
[ "${BUILTIN:-0}" = 1 ] || mods="virtio_pci 9pnet_virtio 9p vgem"
for ko in "$@"; do
	mods="$mods $(modinfo -F depends "$ko" | tr ',' ' ')"
	cp "$ko" "$w/lib/modules/extra/"
done
: > "$w/etc/modules.load"
for m in $mods; do
	modprobe -d "$KROOT" -S "$ABI" --show-depends "$m" | awk '$1 == "insmod" { print $2 }'
done | awk '!seen[$0]++' | while read -r f; do
	b=$(basename "$f")
	b=${b%.xz}
	b=${b%.zst}
	case $f in
	*.xz)  xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*)     cat "$f" ;;
	esac > "$w/lib/modules/$b"
	echo "$b" >> "$w/etc/modules.load"
done
cp "$VM/guest/init" "$w/init"
cp "$VM/guest/splat.txt" "$w/etc/splat.txt"
chmod +x "$w/init"
(cd "$w" && find . -print0 | cpio --null -o -H newc --quiet) > "$out"
