#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-userspace.sh OUTDIR
#
# Builds the guest programs in the sid chroot, against sid's libdrm and libigt:
# libsgdemo (lib/), then the IGT tests of igt-tests/ and the programs of tools/
# (the sgdemo client, stress, the vkms importer, the benchmark), each linked
# with it. Writes them, with
# igt-tests/testlist.txt (and testlist.ALIAS.txt: the tests only kernel ALIAS
# runs), allowed-skips.txt, must-pass.txt and not-run.txt, to OUTDIR (the
# guests see it as /mnt/bin), and
# expected.txt (expected.ALIAS.txt): every test igt_runner must report, read
# from the binaries' own subtest lists (a listed binary or subtest that does
# not exist is an error here, not a silent gap later; so is an entry of
# allowed-skips.txt, must-pass.txt or not-run.txt that names no test of the
# lists or an unknown kernel). An entry's setup tags (its second word, the
# setups or buses it runs in) stay on each test's line; tools/vm/run keeps
# the tests of the guest's setup.
set -euo pipefail
. "$(dirname "$0")/common.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd)

cflags="-O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -I$TOP/uapi -I$TOP/lib -I$TOP/tools/common"
# The version (debian/changelog) for `sgdemo --version`.
cflags="$cflags -DSGDEMO_VERSION='\"$(sgdemo_version)\"'"
# libsgdemo (lib/), built once as a static archive that every program and
# test links: the ioctl wrappers and opening a node by driver name.
libsgdemo=$out/obj/libsgdemo.a
mkdir -p "$out/obj"
SID_BINDS=$(sid_binds_for "$out") in_sid sh -c \
	"gcc -std=c11 $cflags \$(pkg-config --cflags libdrm) -c '$TOP/lib/sgdemo.c' -o '$out/obj/sgdemo.o' &&
	 rm -f '$libsgdemo' && ar rcs '$libsgdemo' '$out/obj/sgdemo.o'"
build()
{
	local prog=$1 libs=$2
	shift 2
	SID_BINDS=$(sid_binds_for "$out") in_sid sh -c \
		"gcc $cflags \$(pkg-config --cflags libdrm) $* '$libsgdemo' -o '$out/$prog' -ldrm $libs -Wl,--no-undefined"
}
for t in sgdemo_basic sgdemo_sgt sgdemo_prime sgdemo_engine sgdemo_dma sgdemo_pci sgdemo_mmap; do
	build "$t" "-ligt -lpthread" "$TOP/igt-tests/$t.c" "$TOP/igt-tests/sgdemo_lib.c"
done
build sgdemo "" "$TOP/tools/client/sgdemo.c"
build sgdemo_hostile "" "$TOP/tools/stress/sgdemo_hostile.c"
build sgdemo_churn -lpthread "$TOP/tools/stress/sgdemo_churn.c"
build sgdemo_inflight "" "$TOP/tools/stress/sgdemo_inflight.c"
build sgdemo_vkms "" "$TOP/tools/kms/sgdemo_vkms.c"
build sgdemo_bench -lpthread "$TOP/tools/bench/sgdemo_bench.c" "$TOP/tools/bench/sgdemo_scaling.c"
cp "$TOP/igt-tests/allowed-skips.txt" "$TOP/igt-tests/must-pass.txt" "$TOP/igt-tests/not-run.txt" "$out/"

# expand LIST: the tests of LIST (a test list in OUTDIR), one a line.
expand()
{
	SID_BINDS=$(sid_binds_for "$out") in_sid sh -c '
		out=$1
		while read -r entry tags; do
			bin=${entry#igt@}
			bin=${bin%%@*}
			path=$out/$bin
			[ -x "$path" ] || path=/usr/libexec/igt-gpu-tools/$bin
			[ -x "$path" ] || { echo "testlist: no test binary $bin" >&2; exit 1; }
			rc=0
			subs=$("$path" --list-subtests 2>/dev/null) || rc=$?
			case $entry in
			igt@*@*)
				echo "$subs" | grep -qxF "${entry##*@}" ||
					{ echo "testlist: $bin has no subtest ${entry##*@}" >&2; exit 1; }
				echo "$entry $tags" ;;
			*)
				if [ $rc = 79 ]; then
					echo "igt@$bin $tags"
				elif [ $rc = 0 ] && [ -n "$subs" ]; then
					echo "$subs" | sed "s/^/igt@$bin@/; s/\$/ $tags/"
				else
					echo "testlist: $bin --list-subtests failed ($rc)" >&2
					exit 1
				fi ;;
			esac
		done < "$2"
	' sh "$out" "$1"
}
# check_tags LIST: every setup tag of LIST (TEST [TAG,TAG...]) names a setup
# of tools/vm/dma-setups or a bus, pci or platform.
check_tags()
{
	local test tags tag
	while read -r test tags; do
		for tag in ${tags//,/ }; do
			case $tag in pci | platform) continue ;; esac
			dma_setup "$tag" 1 > /dev/null ||
				{ echo "$(basename "$1"): $test: no setup $tag in tools/vm/dma-setups" >&2; exit 1; }
		done
	done < "$1"
}
for list in "$TOP"/igt-tests/testlist*.txt; do
	name=$(basename "$list")
	k=${name#testlist.}
	k=${k%.txt}
	[ "$name" = testlist.txt ] || kernel_row "$k" > /dev/null ||
		{ echo "$name: no kernel $k in tools/vm/kernels" >&2; exit 1; }
	grep -vE '^[[:space:]]*(#|$)' "$list" > "$out/$name"
	check_tags "$out/$name"
	expand "$out/$name" > "$out/expected${name#testlist}"
done

# check_list FILE: every entry (WHERE TEST [REASON]) names kernels of
# tools/vm/kernels or DMA setups of tools/vm/dma-setups (or *) and a test of
# the expected lists (TEST, or TEST@SUBTEST).
check_list()
{
	local kernels test k ks
	while read -r kernels test _; do
		case $kernels in '' | '#'*) continue ;; esac
		cat "$out"/expected*.txt | awk -v t="$test" '$1 == t || index($1, t "@") == 1 { f = 1 }
			END { exit !f }' || { echo "$(basename "$1"): $test is no test of the lists" >&2; return 1; }
		IFS=, read -ra ks <<< "$kernels"
		for k in "${ks[@]}"; do
			[ "$k" = '*' ] || kernel_row "$k" > /dev/null || dma_setup "$k" 1 > /dev/null ||
				{ echo "$(basename "$1"): no kernel $k in tools/vm/kernels, no setup $k in tools/vm/dma-setups" >&2; return 1; }
		done
	done < "$1"
}
check_list "$out/allowed-skips.txt"
check_list "$out/must-pass.txt"
check_list "$out/not-run.txt"
