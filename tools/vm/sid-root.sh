#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sid-root.sh [PACKAGE...]
#
# Creates (once) the sid chroot at $CACHE/sid: the toolchain for 7.x modules, the build
# environment of the userspace tests, and the root the guests mount over 9p to run IGT.
# Extra PACKAGEs are installed into it when missing (e.g. the gcc-N a kernel was built with).
set -euo pipefail
. "$(dirname "$0")/common.sh"

BASE_PKGS="gcc make libc6-dev pahole kmod pkg-config libdrm-dev igt-gpu-tools igt-gpu-tools-tests"

if [ ! -f "$SID/.done" ]; then
	t0=$(now)
	say "creating the sid chroot in $SID (debootstrap, about a minute)"
	rm -rf "$SID"
	mkdir -p "$CACHE"
	debootstrap --variant=minbase sid "$SID" "$(host_mirror)" > "$CACHE/debootstrap.log" 2>&1 ||
		{ tail -20 "$CACHE/debootstrap.log"; die "debootstrap sid failed"; }
	# The archive reached from here can be a frozen copy whose Release files are past
	# their Valid-Until date; the signatures are still checked.
	printf 'APT::Install-Recommends "false";\nAcquire::Check-Valid-Until "false";\n' \
		> "$SID/etc/apt/apt.conf.d/90sgdemo"
	say "installing the toolchain and IGT into the sid chroot"
	in_sid sh -c "apt-get -qq update && DEBIAN_FRONTEND=noninteractive apt-get -qq -y install $BASE_PKGS" \
		> "$CACHE/sid-install.log" 2>&1 || { tail -20 "$CACHE/sid-install.log"; die "sid package install failed"; }
	touch "$SID/.done"
	echo "sid chroot ready in $(since "$t0")s"
fi

# Bind-mount points used by in_sid, made here so later runs never write to the
# tree while guests have it mounted.
mkdir -p "$SID$CACHE/k" "$SID$TOP"

missing=
for p in "$@"; do
	in_sid dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	say "installing$missing into the sid chroot"
	in_sid sh -c "(apt-get -qq -y install $missing || (apt-get -qq update && apt-get -qq -y install $missing))" \
		>> "$CACHE/sid-install.log" 2>&1 || { tail -20 "$CACHE/sid-install.log"; die "sid install of$missing failed"; }
fi
