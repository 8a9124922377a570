#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deb.sh [OUTDIR]: `make deb`. Builds the Debian packages with Debian's own
# tooling (dpkg-buildpackage, debhelper, dh-dkms; bookworm's, installed by
# tools/vm/host-deps.sh) in a copy of the tree's files (git's list, so no
# build product gets in) under OUTDIR (default out/deb), source and binary,
# unsigned; lists the .debs with their sizes, then runs lintian on the
# result unless LINTIAN=0 (docs/packaging.md explains every tag it leaves).
# The version is debian/changelog's, as dpkg-parsechangelog reads it.
set -euo pipefail
. "$(dirname "$0")/vm/common.sh"
out=$(mkdir -p "${1:-$TOP/out/deb}" && cd "${1:-$TOP/out/deb}" && pwd)

"$VM/host-deps.sh"
src=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Source)
ver=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)
tree=$out/$src-$ver
rm -rf "${out:?}"/*
mkdir -p "$tree"
(cd "$TOP" && git ls-files -co --exclude-standard | while read -r f; do [ -e "$f" ] && echo "$f"; done |
	cpio -pdm --quiet "$tree")
say "dpkg-buildpackage: $src $ver (log: ${out#"$TOP"/}/build.log)"
if ! (cd "$tree" && dpkg-buildpackage -us -uc) > "$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log"
	die "dpkg-buildpackage failed"
fi
rm -rf "$tree"
(cd "$out" && for d in *.deb; do
	printf '%-48s %8s bytes\n' "$d" "$(stat -c %s "$d")"
done)
[ "${LINTIAN:-1}" = 1 ] || exit 0
# Every tag, pedantic and informational ones too; only errors and warnings fail.
changes=$(ls "$out"/*_"$(dpkg --print-architecture)".changes)
rc=0
# (lintian's note that it runs as root is no tag.)
lintian --display-info --pedantic --fail-on error,warning "$changes" > "$out/lintian.raw" 2>&1 || rc=$?
grep -v 'running with root privileges' "$out/lintian.raw" > "$out/lintian.txt" || true
if [ -s "$out/lintian.txt" ]; then
	sed "s/^/lintian: /" "$out/lintian.txt"
else
	echo "lintian: clean ($(basename "$changes"), pedantic, no tag)"
fi
exit $rc
