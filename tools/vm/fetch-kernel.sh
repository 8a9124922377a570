#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kernel.sh ALIAS...  (ALIAS: a kernel of tools/vm/kernels)
#
# Resolves the Debian kernel for ALIAS through the metapackage of its row, downloads image,
# modules, headers and kbuild with `apt-get download` (nothing is installed on the host),
# unpacks them with dpkg -x into $CACHE/k/ABI, points the headers at the unpacked copy and
# runs depmod. Suites other than bookworm come through a private apt configuration; kernels
# whose row says "sid" build their modules in the sid chroot (their kbuild tools need sid's
# glibc and gcc). A kernel built from source (build "tree": the debug kernel) is built by
# tools/vm/debug-kernel.sh instead. Writes $CACHE/k/ALIAS.env. Idempotent: a .done stamp per ABI.
set -euo pipefail
. "$(dirname "$0")/common.sh"

# Depends of PACKAGE (at its candidate version) in SUITE, one name a line.
deps_of()
{
	papt "$1" apt-cache show --no-all-versions "$2" |
		sed -n 's/^Depends: //p' | head -1 | tr ',' '\n' | sed 's/^ *//; s/ .*//'
}

for alias in "$@"; do
	t0=$(now)
	read -r _ suite meta where _ < <(kernel_row "$alias") ||
		die "unknown kernel alias '$alias' (see tools/vm/kernels)"
	if [ "$where" = tree ]; then
		"$VM/debug-kernel.sh" "$alias"
		continue
	fi
	img=$(deps_of "$suite" "$meta" | grep -m1 '^linux-image-') ||
		die "$alias: no kernel behind $meta in $suite"
	abi=${img#linux-image-}
	abi=${abi%-unsigned}
	case $abi in
	"$alias"[.-]*) ;;
	*) die "kernel $alias: $suite now ships $abi, not $alias; update tools/vm/kernels" ;;
	esac
	kroot=$CACHE/k/$abi
	if [ ! -f "$kroot/.done" ]; then
		say "fetching kernel $alias ($abi) from $suite"
		if papt "$suite" apt-cache show "linux-binary-unsigned-$abi" >/dev/null 2>&1; then
			pkgs="linux-base-$abi linux-binary-unsigned-$abi linux-modules-$abi"
		else
			pkgs="linux-image-$abi-unsigned"
		fi
		common=$(deps_of "$suite" "linux-headers-$abi" | grep -m1 -- '-common$')
		kbuild=$(deps_of "$suite" "$common" | grep -m1 '^linux-kbuild-' || true)
		[ -n "$kbuild" ] || kbuild=$(deps_of "$suite" "linux-headers-$abi" | grep -m1 '^linux-kbuild-')
		pkgs="$pkgs linux-headers-$abi $common $kbuild"
		mkdir -p "$CACHE/debs"
		(cd "$CACHE/debs" && papt "$suite" apt-get download -qq -o APT::Sandbox::User=root $pkgs) ||
			die "$alias: apt-get download failed"
		rm -rf "$kroot"
		mkdir -p "$kroot"
		for p in $pkgs; do
			dpkg -x "$(ls -t "$CACHE/debs/${p}_"*.deb | head -1)" "$kroot"
		done
		[ -e "$kroot/lib" ] || ln -s usr/lib "$kroot/lib"
		sed -i "s|/usr/src/|$kroot/usr/src/|g" "$kroot/usr/src/linux-headers-$abi/Makefile"
		depmod -b "$kroot" "$abi"
		touch "$kroot/.done"
	fi
	vmlinuz=
	for f in "$kroot/boot/vmlinuz-$abi" "$kroot/usr/lib/modules/$abi/vmlinuz" \
		 "$kroot/lib/modules/$abi/vmlinuz.unsigned" "$kroot/lib/modules/$abi/vmlinuz"; do
		[ -f "$f" ] && { vmlinuz=$f; break; }
	done
	[ -n "$vmlinuz" ] || die "$alias: no vmlinuz in $kroot"
	kdir=$kroot/usr/src/linux-headers-$abi
	# The compiler the kernel was built with, e.g. gcc-12 or gcc-16.
	cc=$(sed -n 's/^CC = .*(CROSS_COMPILE)//p' "$kdir/.kernelvariables" 2>/dev/null || true)
	cc=${cc:-gcc}
	if [ "$where" = host ] && command -v "$cc" >/dev/null; then
		build=host
	else
		build=sid
	fi
	printf 'ABI=%q\nKROOT=%q\nVMLINUZ=%q\nKDIR=%q\nKCC=%q\nBUILD=%q\nSUITE=%q\n' \
		"$abi" "$kroot" "$vmlinuz" "$kdir" "$cc" "$build" "$suite" > "$CACHE/k/$alias.env"
	echo "kernel $alias: $abi (build: $build, $cc) ready in $(since "$t0")s"
done
