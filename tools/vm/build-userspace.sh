#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-userspace.sh OUTDIR
#
# Builds the guest programs in the sid chroot, against sid's libdrm and libigt:
# the IGT tests of igt-tests/ and the demo client of tools/. Writes them, with
# igt-tests/testlist.txt, to OUTDIR (the guests see it as /mnt/bin).
set -euo pipefail
. "$(dirname "$0")/common.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)

cflags="-O2 -g -Wall -Wextra -Werror -I$TOP/uapi"
build()
{
	local prog=$1
	shift
	SID_BINDS="$TOP $out" in_sid sh -c \
		"gcc $cflags \$(pkg-config --cflags libdrm) $* -o '$out/$prog' -ldrm $LIBS -Wl,--no-undefined"
}
for t in sgdemo_basic sgdemo_sgt; do
	LIBS=-ligt build $t "$TOP/igt-tests/$t.c" "$TOP/igt-tests/sgdemo_lib.c"
done
LIBS= build sgdemo_demo "$TOP/tools/demo/sgdemo_demo.c"
cp "$TOP/igt-tests/testlist.txt" "$out/testlist.txt"
