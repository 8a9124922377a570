#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: `make check`. For each kernel of $KERNELS (default: the check
# group of tools/vm/kernels), once per DMA setup of its row (tools/vm/
# dma-setups; SETUPS="direct swiotlb" keeps only those): build drm_sgdemo
# with dkms and install it with `make install` into a staging root (once a
# kernel), then, with tools/vm/run, build it with W=1, boot the kernel under
# QEMU in the setup with the sid userland and run the harness checks and the
# setup's IGT test list (tools/vm/guest/check.sh). Every result is a TAP line
# naming kernel and setup ("[7.2 swiotlb]"); tools/vm/xfail.py applies
# igt-tests/expected-failures.txt, and tools/vm/tally counts them: any failed
# test, kernel splat or hung guest makes it fail.
# The kernels run in parallel, as many at a time as the host has cores
# (CHECK_JOBS), each guest on one vCPU (GUEST_SMP): an overloaded TCG host
# makes guest kernels log timer warnings. Their reports print in order, each
# with its count; a summary has a count per kernel and setup, and the last
# line is "N passed, N failed" (", N skipped" when IGT skipped something,
# ", N expected failures" when a listed test failed).
#
# TESTS="PATTERN..." (the inner loop): only the IGT tests that match (see
# --tests of tools/vm/run), with the harness's leak and splat checks; no
# dkms and install, stress programs, client or unload with jobs in flight,
# and no packages' test unless PACKAGES=1 (PACKAGES=0 leaves it out always).
#
# Harness self-test: CHECK_INJECT=fail|warn|warn-between|hang adds, in every
# guest, a check that fails, a real kernel WARNING (tools/vm/selftest) after
# the tests or between two igt_runner runs, or a hang; each must turn the run
# red.
set -uo pipefail
. "$(dirname "$0")/common.sh"
# setup_wanted TARGET: its setup is one of SETUPS (all when SETUPS is unset).
setup_wanted()
{
	[ -z "${SETUPS:-}" ] || case " $(echo "$SETUPS" | tr , ' ') " in
		*" $(setup_of "$1") "*) ;;
		*) return 1 ;;
		esac
}
TARGETS=$(kernel_targets ${KERNELS:-$(kernels_in check)} | while read -r t; do
	setup_wanted "$t" && echo "$t"; done | paste -sd ' ')
XFAIL=$TOP/igt-tests/expected-failures.txt
GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
CHECK_JOBS=${CHECK_JOBS:-$(nproc)}
OUT=$TOP/out/${CHECK_OUT:-check}
t0=$(now)

# step NAME CMD...: a host-side check; its last line is shown when it passes,
# its whole output when it fails.
step()
{
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
		echo "$out" | tail -n 1 | diag
	else
		not_ok "$name"
		echo "$out" | tail -n 30 | diag
	fi
}

# guest TARGET DIR: tools/vm/run with guest/check.sh, the console in
# DIR/share/serial.log (and, with VERBOSE=1, on the terminal).
guest()
{
	local t=$1 d=$2 opts=(--out "$d/share" --timeout "$GUEST_TIMEOUT" --smp "${GUEST_SMP:-1}")
	[ "${VERBOSE:-0}" = 1 ] || opts+=(-q)
	[ -z "${TESTS:-}" ] || opts+=(--tests "$TESTS")
	[ -z "${CHECK_INJECT:-}" ] || opts+=(--append "harness.inject=$CHECK_INJECT")
	case ${CHECK_INJECT:-} in
	warn | warn-between) [ "$BUILTIN" = 1 ] || opts+=(--module "$VM/selftest") ;;
	esac
	"$VM/run" "${opts[@]}" "$t" -- "$VM/guest/check.sh" 2> "$d/run.log" | sed -u "s/^/[$L] /" >&3
}

# kernel_log LOG: the kernel's log at every level from its own console
# (ttyS1, tools/vm/run-guest.sh), scanned here: it must run from the boot
# through the tests' start mark to the guest's end mark (or a panic), and
# hold no splat, wherever it happened (between two IGT tests too).
kernel_log()
{
	local log=$1 missing= splats
	grep -aq 'Linux version' "$log" 2> /dev/null || missing="$missing, the boot"
	grep -aq 'sgdemo-harness: tests start' "$log" 2> /dev/null ||
		missing="$missing, the mark 'sgdemo-harness: tests start'"
	grep -aqE 'sgdemo-harness: end of log|end Kernel panic' "$log" 2> /dev/null ||
		missing="$missing, the end (the guest's end mark or a panic)"
	if [ -z "$missing" ]; then
		ok "[$L] kernel log at every level, from boot to power-off (ttyS1)"
	else
		not_ok "[$L] kernel log at every level, from boot to power-off (ttyS1)"
		echo "kernel.log lacks${missing#,}" | diag
	fi
	splats=$(tr -d '\r' < "$log" 2> /dev/null | grep -aE -f "$VM/guest/splat.txt" | head -20)
	if [ -f "$log" ] && [ -z "$splats" ]; then
		ok "[$L] no kernel splat in the whole kernel log"
	else
		not_ok "[$L] no kernel splat in the whole kernel log"
		echo "$splats" | sed 's/^/#   kernel.log: /'
	fi
}

# results TARGET DIR RC: what the guest and its logs say, as TAP.
results()
{
	local t=$1 d=$2 rc=$3 log=$2/share/serial.log splats json
	# The harness checks the guest printed as TAP.
	tr -d '\r' < "$log" | grep -aE '^(ok|not ok) [0-9]+ - |^#   ' |
		sed -E "s/^(ok|not ok) [0-9]+ - /\1 - [$L] /"
	if [ -f "$d/share/results/results.json" ]; then
		# One igt_runner run, or two (CHECK_INJECT=warn-between).
		json=$(ls "$d"/share/results*/results.json | paste -sd ,)
		python3 "$VM/results.py" "$json" "$d/share/bin/expected.txt" "$L" \
			"$d/share/bin/allowed-skips.txt" "$d/share/bin/must-pass.txt" ||
			not_ok "[$L] IGT results counted"
	else
		not_ok "[$L] IGT results.json written"
	fi
	# KUnit suites built into the kernel ran at boot: a line per case.
	if [ "$BUILTIN" = 1 ]; then
		python3 "$VM/kunit.py" "$d/share/dmesg.txt" "$TOP/drm_sgdemo/tests" "$L" > "$d/kunit.tap" ||
			not_ok "[$L] KUnit results counted"
		cat "$d/kunit.tap"
		"$VM/tally" --prefix "# KUnit: " "$d/kunit.tap"
	fi
	kernel_log "$d/share/kernel.log"
	# The guest's own verdict: exit status, splats, hangs.
	splats=$(cat "$log" "$d/share/dmesg.txt" 2>/dev/null | tr -d '\r' | grep -av '^#' |
		grep -aE -f "$VM/guest/splat.txt" | sed 's/^<[0-9]>//' | sort -u | head -20)
	if [ "$rc" = 124 ]; then
		not_ok "[$L] guest finished (hung: no verdict within ${GUEST_TIMEOUT}s)"
		tail -n 20 "$log" | diag
		tail -n 10 "$d/share/kernel.log" 2> /dev/null | sed 's/^/#   kernel.log: /'
	elif [ "$rc" != 0 ] || [ -n "$splats" ]; then
		not_ok "[$L] guest finished cleanly, no kernel splat"
		[ -z "$splats" ] || echo "$splats" | sed 's/^/#   splat: /'
		grep -aE '^(HARNESS|RESULT)' "$log" | diag
	else
		ok "[$L] guest finished cleanly, no kernel splat"
	fi
}

# check_target TARGET: everything for one kernel in one DMA setup; its
# report goes to stdout, each result named by L, "KERNEL SETUP".
check_target()
{
	local t=$1 d=$OUT/$1 kt rc failed=
	L=$(target_label "$t")
	kt=$(now)
	kernel_env "$t"
	mkdir -p "$d"
	# The ways users build and install it: DKMS and `make install` (once a kernel).
	if [ "$BUILTIN" = 0 ] && [ -z "${TESTS:-}" ] && [ "$t" = "${t%+*}" ]; then
		echo "==> kernel $L ($ABI): dkms build, make install" >&3
		step "[$L] dkms build (Debian's dkms, dkms.conf)" "$VM/dkms-build.sh" "$t" "$d/dkms"
		step "[$L] make install and uninstall (module, uAPI header, pkg-config)" \
			"$VM/install-test.sh" "$t" "$d/install"
	fi
	# The Debian packages, installed, used and purged as a user would: once a
	# run, for the kernel of the packages group (tools/vm/package-test.sh);
	# with TESTS only when PACKAGES=1, never when PACKAGES=0.
	if [ "$BUILTIN" = 0 ] && [ "$t" = "${t%+*}" ] && kernels_in packages | grep -qx "$t" &&
		{ [ "${PACKAGES:-}" = 1 ] || { [ -z "${TESTS:-}" ] && [ "${PACKAGES:-}" != 0 ]; }; }; then
		echo "==> kernel $L ($ABI): the Debian packages, installed, used in a guest, purged" >&3
		"$VM/package-test.sh" "$t" "$d/packages"
	fi
	echo "==> kernel $L ($ABI): build module (W=1), boot and test under QEMU" >&3
	guest "$t" "$d"
	rc=$?
	[ "$rc" != 125 ] || failed=$(cat "$d/share/setup-failed" 2>/dev/null || echo setup)
	if [ "$BUILTIN" = 0 ] && [ "$failed" = "module drm_sgdemo" ]; then
		not_ok "[$L] drm_sgdemo builds with W=1 and no warnings"
	elif [ "$BUILTIN" = 0 ] && [ -z "$failed" ]; then
		ok "[$L] drm_sgdemo builds with W=1 and no warnings"
	fi
	# TESTS that this setup's list does not hold: nothing to run here.
	if [ "$failed" = tests ]; then
		ok "[$L] no test of TESTS in the setup's list # SKIP TESTS='$TESTS'"
		return
	fi
	if [ -n "$failed" ]; then
		[ "$failed" = "module drm_sgdemo" ] || not_ok "[$L] $failed"
		tail -n 30 "$d/run.log" | diag
		return
	fi
	results "$t" "$d" "$rc"
	echo "# time $(since "$kt")s"
}

rm -rf "$OUT"
mkdir -p "$OUT"
exec 3>&1
say "step 1: host packages, kernels ($TARGETS), sid userland, userspace build"
ready=
# expected-failures.txt names setups and kernels there are.
python3 "$VM/xfail.py" "$XFAIL" --check "$(awk -F'|' '!/^#/ && NF { gsub(/[ \t]/, "", $1); print $1 }' \
	"$VM/dma-setups" | paste -sd ,)" "$(awk '!/^#/ && NF { print $1 }' "$VM/kernels" | paste -sd ,)" \
	>> "$OUT/0.report"
for t in $TARGETS; do
	# Everything the sid chroot needs is installed now: from step 2 on,
	# guests run from it and nothing may change it underneath them. The 7.x
	# kernels' compilers, and dkms for their dkms builds.
	if "$VM/run" --prepare --sid-pkgs dkms "$t" 2>&1 | tee "$OUT/prepare-$t.log"; then
		ready="$ready $t"
	else
		{ not_ok "[$(target_label "$t")] host packages, kernel, sid userland, userspace build"
		  tail -n 30 "$OUT/prepare-$t.log" | diag; } >> "$OUT/0.report"
	fi
done

say "step 2: build and test on each kernel ($CHECK_JOBS at a time)"
# The longest first: the kernels' first setups (the whole list, dkms and
# install), then the others; the reports print in the table's order.
for t in $(printf '%s\n' $ready | grep -v '+') $(printf '%s\n' $ready | grep '+'); do
	# A job that dies half-way never prints "# done": that is a failure.
	(check_target "$t" && echo "# done") > "$OUT/$t.report" 2>&1 &
	while [ "$(jobs -rp | wc -l)" -ge "$CHECK_JOBS" ]; do
		wait -n
	done
done
wait
[ ! -s "$OUT/0.report" ] || "$VM/tally" --echo --prefix "preparation: " "$OUT/0.report"
[ -s "$OUT/0.report" ] || rm -f "$OUT/0.report"
for t in $ready; do
	r=$OUT/$t.report
	grep -q '^# done$' "$r" || not_ok "[$(target_label "$t")] harness job finished" >> "$r"
	# Expected failures (igt-tests/expected-failures.txt), applied here alone.
	grep -v '^# done$' "$r" | python3 "$VM/xfail.py" "$XFAIL" > "$r.tap" ||
		not_ok "[$(target_label "$t")] expected failures applied (xfail.py)" >> "$r.tap"
	"$VM/tally" --echo --prefix "kernel $(target_label "$t"): " "$r.tap"
done
say "summary"
for t in $ready; do
	printf '%-14s %s\n' "$(target_label "$t"):" "$("$VM/tally" "$OUT/$t.report.tap")"
done
echo "# total time $(since "$t0")s"
# The last line, N passed, N failed: also when nothing got as far as a guest.
"$VM/tally" $([ ! -f "$OUT/0.report" ] || echo "$OUT/0.report") \
	$(for t in $ready; do echo "$OUT/$t.report.tap"; done) < /dev/null
