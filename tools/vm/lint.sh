#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lint.sh: `make lint`. Every finding is a failure:
# - checkpatch.pl --strict on every driver file and the uAPI header;
# - kernel-doc -Wall on every driver file and the uAPI header (no output);
# - the driver's shape (tools/vm/structure.py): no file over 450 lines, no
#   function over 80, no circle of local headers;
# - the uAPI header passes the kernel's headers_install.sh, and compiles on
#   its own, first in its unit, as C (c11) and C++ (c++11), -Wall -Wextra
#   -pedantic -Werror;
# - `make docs` renders without a Sphinx or kernel-doc warning;
# - `make deb` builds the Debian packages and lintian --pedantic finds no tag;
# - a W=1 build through sparse (C=1) for every kernel of $KERNELS (default:
#   the check group of tools/vm/kernels).
# The tools come from Debian's linux-source-7.2 (the tree the debug kernel is
# built from) and sparse from Debian (bookworm on the host, sid in the chroot
# for 7.x). Prints one TAP line per check; tools/vm/tally numbers them and
# ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/common.sh"
KERNELS=${KERNELS:-$(kernels_in check)}
OUT=$TOP/out/lint
rm -rf "$OUT"
mkdir -p "$OUT"

# lint NAME CMD...: a check passes when CMD succeeds and prints nothing.
lint()
{
	local name=$1 log=$OUT/last.log
	shift
	if "$@" > "$log" 2>&1 && [ ! -s "$log" ]; then
		ok "$name"
	else
		not_ok "$name"
		diag < "$log" | head -n 40
	fi
}

# fatal NAME: a step every later check needs failed.
fatal() { not_ok "$*"; exit 1; }

checkpatch()
{
	perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		--no-summary -f "$@"
}

# source_checks: checkpatch and kernel-doc on every file.
source_checks()
{
	local f files=(drm_sgdemo/*.[ch] drm_sgdemo/tests/*.[ch] uapi/drm_sgdemo.h)
	say "step 3: checkpatch --strict, kernel-doc"
	for f in "${files[@]}"; do
		lint "checkpatch --strict: $f" checkpatch "$f"
	done
	for f in "${files[@]}"; do
		lint "kernel-doc -Wall: $f" "$src/scripts/kernel-doc" -none -Wall "$f"
	done
	lint "driver shape: no file over 450 lines, no function over 80, no include circle" \
		python3 "$VM/structure.py" drm_sgdemo
}

# header_checks: the uAPI header on its own.
header_checks()
{
	local drm_cflags
	say "step 4: the uAPI header on its own"
	# headers_install.sh runs scripts/unifdef from the build tree: Debian's here.
	mkdir -p "$OUT/hi/scripts"
	ln -s "$(command -v unifdef)" "$OUT/hi/scripts/unifdef"
	lint "uAPI header: the kernel's headers_install.sh takes it" \
		sh -c "cd '$OUT/hi' && sh '$src/scripts/headers_install.sh' '$TOP/uapi/drm_sgdemo.h' drm_sgdemo.h"
	echo '#include "drm_sgdemo.h"' > "$OUT/alone.c"
	drm_cflags=$(pkg-config --cflags libdrm)
	lint "uAPI header: compiles alone as C (c11, -pedantic)" \
		gcc -std=c11 -Wall -Wextra -pedantic -Werror -fsyntax-only -Iuapi $drm_cflags "$OUT/alone.c"
	lint "uAPI header: compiles alone as C++ (c++11, -pedantic)" \
		g++ -x c++ -std=c++11 -Wall -Wextra -pedantic -Werror -fsyntax-only -Iuapi $drm_cflags \
		"$OUT/alone.c"
}

# kernel_checks: W=1 and sparse for each kernel, fetched by tools/vm/run.
kernel_checks()
{
	local k
	say "step 6: sparse and W=1 on each kernel ($(echo $KERNELS))"
	for k in $KERNELS; do
		if "$VM/run" --prepare --no-userspace --sid-pkgs sparse "$k" 2> "$OUT/prepare-$k.log"; then
			lint "[$k] W=1 and sparse (C=1): no warnings" \
				env SPARSE=1 "$VM/build-module.sh" "$k" "$OUT/build-$k"
		else
			lint "[$k] kernel fetch" sh -c "cat '$OUT/prepare-$k.log'; false"
		fi
	done
}

checks()
{
	say "step 1: host packages"
	"$VM/host-deps.sh" || fatal "host packages"
	say "step 2: kernel scripts (the debug kernel's source)"
	read -r src srcver < <(linux_source) || fatal "the debug kernel's source (tools/vm/kernels)"
	echo "scripts from $(basename "$src") $srcver"
	cd "$TOP" || fatal "the work tree"
	source_checks
	header_checks
	say "step 5: documentation"
	lint "docs: make docs renders docs/ and every kernel-doc block without a warning" \
		sh -c "'$VM/docs.sh' > /dev/null"
	# make deb, then lintian --pedantic on the source and binary packages:
	# any tag, informational ones too, fails (docs/packaging.md).
	lint "lintian --pedantic: make deb's packages have no tag" \
		sh -c "'$TOP/tools/deb.sh' '$OUT/deb' > '$OUT/deb.log' 2>&1 && grep -q '^lintian: clean' '$OUT/deb.log' ||
			{ cat '$OUT/deb.log'; false; }"
	kernel_checks
}

checks | "$VM/tally" --echo
