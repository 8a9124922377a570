#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: `make check`. For each kernel of $KERNELS (default: the check
# group of tools/vm/kernels): build drm_sgdemo with W=1, build it with dkms and install it with
# `make install` into a staging root, boot the kernel under QEMU with the sid
# userland, run the harness checks and the IGT test list, and count every
# result. Any
# failed test, kernel splat or hung guest makes it fail. The kernels run in
# parallel, as many at a time as the host has cores (CHECK_JOBS), each guest on
# one vCPU (GUEST_SMP): an overloaded TCG host makes guest kernels log timer
# warnings. Their reports print in order, each with its count. Every result
# is a TAP line, and tools/vm/tally counts them: the last line is
# "N passed, N failed" (", N skipped" when IGT skipped something).
#
# Harness self-test: CHECK_INJECT=fail|warn|hang adds, in every guest, a check
# that fails, a real kernel WARNING (tools/vm/selftest) or a hang; each must
# turn the run red.
set -uo pipefail
. "$(dirname "$0")/common.sh"
KERNELS=$(kernel_targets ${KERNELS:-$(kernels_in check)} | paste -sd ' ')
GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
CHECK_JOBS=${CHECK_JOBS:-$(nproc)}
export GUEST_SMP=${GUEST_SMP:-1}
[ -z "${CHECK_INJECT:-}" ] || export GUEST_APPEND="${GUEST_APPEND:-} harness.inject=$CHECK_INJECT"
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

# check_kernel K: everything for one kernel; its report goes to stdout.
check_kernel()
{
	local k=$1 d=$OUT/$1 kt rc log splats
	kt=$(now)
	. "$CACHE/k/$k.env"
	mkdir -p "$d/share"
	kos=()
	if [ "${BUILTIN:-0}" = 1 ]; then
		: # drm_sgdemo is built into this kernel (debug-kernel.sh checked its build)
	elif echo "==> kernel $k ($ABI): build module (W=1)" >&3 &&
		"$VM/build-module.sh" "$k" "$d/build" > "$d/build-module.log" 2>&1; then
		ok "[$k] drm_sgdemo builds with W=1 and no warnings"
		kos=("$d/build/drm_sgdemo/drm_sgdemo.ko")
	else
		not_ok "[$k] drm_sgdemo builds with W=1 and no warnings"
		tail -n 30 "$d/build-module.log" | diag
		return
	fi
	# The ways users build and install it: DKMS and `make install`.
	if [ "${BUILTIN:-0}" = 0 ]; then
		echo "==> kernel $k ($ABI): dkms build, make install" >&3
		step "[$k] dkms build (Debian's dkms, dkms.conf)" "$VM/dkms-build.sh" "$k" "$d/dkms"
		step "[$k] make install and uninstall (module, uAPI header, pkg-config)" \
			"$VM/install-test.sh" "$k" "$d/install"
	fi
	if [ "${CHECK_INJECT:-}" = warn ] && [ "${BUILTIN:-0}" = 0 ]; then
		if ! "$VM/build-module.sh" "$k" "$d/build" "$VM/selftest" > "$d/selftest.log" 2>&1; then
			not_ok "[$k] harness self-test module builds"
			return
		fi
		kos+=("$d/build/selftest/sgdemo_selftest.ko")
	fi
	if ! "$VM/mkinitramfs.sh" "$k" "$d/initrd.cpio" "$VM/guest/check.sh" "${kos[@]}" \
		> "$d/initramfs.log" 2>&1; then
		not_ok "[$k] initramfs"
		diag < "$d/initramfs.log"
		return
	fi
	cp -a "$OUT/bin" "$d/share/bin"

	echo "==> kernel $k ($ABI): boot and test under QEMU" >&3
	GUEST_EXTRA=${GUEST_EXTRA:-} GUEST_MEM=${GUEST_MEM:-1G} \
		"$VM/run-guest.sh" "$VMLINUZ" "$d/initrd.cpio" "$d/share" "$GUEST_TIMEOUT"
	rc=$?
	log=$d/share/serial.log
	# The harness checks the guest printed as TAP.
	tr -d '\r' < "$log" | grep -aE '^(ok|not ok) [0-9]+ - |^#   ' |
		sed -E "s/^(ok|not ok) [0-9]+ - /\1 - [$k] /"
	if [ -f "$d/share/results/results.json" ]; then
		python3 "$VM/results.py" "$d/share/results/results.json" "$OUT/bin/expected.txt" "$k" \
			"$OUT/bin/allowed-skips.txt" ||
			not_ok "[$k] IGT results counted"
	else
		not_ok "[$k] IGT results.json written"
	fi
	# KUnit suites built into the kernel ran at boot: a line per case.
	if [ "${BUILTIN:-0}" = 1 ]; then
		python3 "$VM/kunit.py" "$d/share/dmesg.txt" "$TOP/drm_sgdemo/tests" "$k" > "$d/kunit.tap" ||
			not_ok "[$k] KUnit results counted"
		cat "$d/kunit.tap"
		"$VM/tally" --prefix "# KUnit: " "$d/kunit.tap"
	fi
	# The guest's own verdict: exit status, splats, hangs.
	splats=$(cat "$log" "$d/share/dmesg.txt" 2>/dev/null | tr -d '\r' | grep -av '^#' |
		grep -aE -f "$VM/guest/splat.txt" |
		sed 's/^<[0-9]>//' | sort -u | head -20)
	if [ "$rc" = 124 ]; then
		not_ok "[$k] guest finished (hung: no verdict within ${GUEST_TIMEOUT}s)"
		tail -n 20 "$log" | diag
	elif [ "$rc" != 0 ] || [ -n "$splats" ]; then
		not_ok "[$k] guest finished cleanly, no kernel splat"
		[ -z "$splats" ] || echo "$splats" | sed 's/^/#   splat: /'
		grep -aE '^(HARNESS|RESULT)' "$log" | diag
	else
		ok "[$k] guest finished cleanly, no kernel splat"
	fi
	echo "# time $(since "$kt")s"
}

finish()
{
	echo "# total time $(since "$t0")s"
	"$VM/tally" "$OUT"/*.report
	exit
}

rm -rf "$OUT"
mkdir -p "$OUT"
exec 3>&1
say "step 1: host packages"
"$VM/host-deps.sh" || { not_ok "host packages install" | tee "$OUT/0.report"; finish; }
say "step 2: kernels ($KERNELS)"
fetched=
for k in $KERNELS; do
	if "$VM/fetch-kernel.sh" "$k"; then
		fetched="$fetched $k"
	else
		not_ok "[$k] kernel fetch" | tee -a "$OUT/0.report"
	fi
done
say "step 3: sid userland (toolchain, IGT)"
# Everything the sid chroot needs is installed now: from step 5 on, guests run
# from it and nothing may change it underneath them.
# The 7.x kernels' compilers, and dkms for their dkms builds.
kccs=$(sid_compilers $fetched)
[ -z "${kccs// }" ] || kccs="dkms $kccs"
"$VM/sid-root.sh" $kccs || { not_ok "sid chroot" | tee -a "$OUT/0.report"; finish; }
say "step 4: userspace tests (built in the sid chroot)"
"$VM/build-userspace.sh" "$OUT/bin" || { not_ok "userspace build" | tee -a "$OUT/0.report"; finish; }

say "step 5: build and test on each kernel ($CHECK_JOBS at a time)"
for k in $fetched; do
	# A job that dies half-way never prints "# done": that is a failure.
	(check_kernel "$k" && echo "# done") > "$OUT/$k.report" 2>&1 &
	while [ "$(jobs -rp | wc -l)" -ge "$CHECK_JOBS" ]; do
		wait -n
	done
done
wait
for k in $fetched; do
	r=$OUT/$k.report
	grep -q '^# done$' "$r" || not_ok "[$k] harness job finished" >> "$r"
	grep -v '^# done$' "$r" | "$VM/tally" --echo --prefix "kernel $k: "
done
finish
