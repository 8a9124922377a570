#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-deps.sh [PACKAGE...]: installs, from bookworm, what the harness needs on
# the host, and the extra PACKAGEs (e.g. gnuplot for `make bench`).
set -euo pipefail
. "$(dirname "$0")/common.sh"
pkgs="qemu-system-x86 busybox-static cpio kmod libdrm-dev zstd xz-utils pahole debootstrap
      python3 make gcc g++ bc patch pkg-config dkms sparse unifdef
      python3-sphinx python3-myst-parser debhelper dh-dkms lintian $*"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
say "installing host packages:$missing"
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get -qq update && apt-get -qq -y install --no-install-recommends $missing; } > "$log" 2>&1; then
	cat "$log"
	rm -f "$log"
	exit 1
fi
rm -f "$log"
