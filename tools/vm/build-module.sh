#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh ALIAS OUTDIR [MODULE_DIR]
#
# Builds drm_sgdemo.ko (or the module in MODULE_DIR, e.g. the harness
# self-test) for kernel ALIAS (see fetch-kernel.sh) in a copy of the sources
# under OUTDIR, with W=1: on the host for bookworm kernels, in the sid chroot
# for the others. Any compiler or modpost warning fails the build. With
# SPARSE=1 every file also goes through sparse (C=1), whose findings fail it
# too. CHECK_PLANT=NAME builds it with a planted bug (below).
set -euo pipefail
. "$(dirname "$0")/common.sh"
alias=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
src=${3:-$TOP/drm_sgdemo}
name=$(basename "$src")
. "$CACHE/k/$alias.env"

rm -rf "${out:?}/$name" "$out/uapi"
cp -a "$src" "$TOP/uapi" "$out/"
# CHECK_PLANT=NAME: the harness's self-test builds the driver with a planted
# bug, tools/vm/selftest/plant-NAME.patch (docs/harness.md).
if [ -n "${CHECK_PLANT:-}" ] && [ "$name" = drm_sgdemo ]; then
	plant=$VM/selftest/plant-$CHECK_PLANT.patch
	[ -f "$plant" ] || die "no planted bug '$CHECK_PLANT' (tools/vm/selftest/plant-*.patch)"
	patch -s -p2 -d "$out/$name" < "$plant" || die "cannot plant $CHECK_PLANT"
	echo "planted bug for the harness self-test: $CHECK_PLANT"
fi
cmd=(make -C "$KDIR" M="$out/$name" CONFIG_DRM_SGDEMO=m SGDEMO_VERSION="$(sgdemo_version)" W=1 ${SPARSE:+C=1} modules)
kernel_run "$out" "$out/build.log" "${SPARSE:+sparse}" "${cmd[@]}"
if grep -E 'warning:|WARNING:|error:' "$out/build.log"; then
	echo "build for $alias has warnings (see above)" >&2
	exit 1
fi
ls "$out/$name/"*.ko > /dev/null
