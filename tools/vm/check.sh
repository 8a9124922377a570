#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check.sh: `make check`. For each kernel of $KERNELS (default "6.1 6.12 7.2"):
# build drm_sgdemo with W=1, boot the kernel under QEMU with the sid userland,
# run the harness checks and the IGT test list, and count every result. Any
# failed test, kernel splat or hung guest makes it fail. The last line is
# "N passed, N failed" (with ", N skipped" when IGT skipped something).
set -uo pipefail
. "$(dirname "$0")/common.sh"
KERNELS=${KERNELS:-6.1 6.12 7.2}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
OUT=$TOP/out/check
SPLAT='BUG:|WARNING:|Oops|Call Trace:|KASAN:|UBSAN:|refcount_t:|general protection|possible circular locking|Poison overwritten|Kernel panic|suspected memory leak'
pass=0 fail=0 skip=0
t0=$(now)

ok()     { pass=$((pass + 1)); echo "ok - $*"; }
not_ok() { fail=$((fail + 1)); echo "not ok - $*"; }
finish()
{
	echo "# total time $(since "$t0")s"
	if [ "$skip" -gt 0 ]; then
		echo "$pass passed, $fail failed, $skip skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
	exit
}

say "step 1: host packages"
"$VM/host-deps.sh" || { not_ok "host packages install"; finish; }
say "step 2: kernels ($KERNELS)"
for k in $KERNELS; do
	"$VM/fetch-kernel.sh" "$k" || not_ok "[$k] kernel fetch"
done
say "step 3: sid userland (toolchain, IGT)"
"$VM/sid-root.sh" || { not_ok "sid chroot"; finish; }
say "step 4: userspace tests (built in the sid chroot)"
rm -rf "$OUT"
mkdir -p "$OUT"
if ! "$VM/build-userspace.sh" "$OUT/bin"; then
	not_ok "userspace build"
	finish
fi

for k in $KERNELS; do
	[ -f "$CACHE/k/$k.env" ] || continue
	. "$CACHE/k/$k.env"
	kt=$(now)
	p0=$pass f0=$fail s0=$skip
	d=$OUT/$k
	mkdir -p "$d/share"
	say "kernel $k ($ABI): build module (W=1)"
	if "$VM/build-module.sh" "$k" "$d/build" > "$d/build-module.log" 2>&1; then
		ok "[$k] drm_sgdemo builds with W=1 and no warnings"
	else
		sed 's/^/#   /' "$d/build-module.log" | tail -30
		not_ok "[$k] drm_sgdemo builds with W=1 and no warnings"
		continue
	fi
	"$VM/mkinitramfs.sh" "$k" "$d/initrd.cpio" "$VM/guest/check.sh" \
		"$d/build/drm_sgdemo/drm_sgdemo.ko" || { not_ok "[$k] initramfs"; continue; }
	cp -a "$OUT/bin" "$d/share/bin"

	say "kernel $k ($ABI): boot and test (QEMU TCG)"
	"$VM/run-guest.sh" "$VMLINUZ" "$d/initrd.cpio" "$d/share" "$GUEST_TIMEOUT"
	rc=$?
	log=$d/share/serial.log
	# The harness checks the guest printed (TAP), counted here.
	while IFS= read -r line; do
		case $line in
		"ok "*)     ok "[$k] ${line#ok * - }" ;;
		"not ok "*) not_ok "[$k] ${line#not ok * - }" ;;
		"#"*)       echo "$line" ;;
		esac
	done < <(tr -d '\r' < "$log" | grep -aE '^(ok|not ok) [0-9]+ - |^#   ')
	# IGT results.
	if [ -f "$d/share/results/results.json" ]; then
		python3 "$VM/results.py" "$d/share/results/results.json" "$k" > "$d/igt.txt"
		grep -v '^counts:' "$d/igt.txt"
		read -r _ p f s < <(grep '^counts:' "$d/igt.txt")
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	else
		not_ok "[$k] IGT results.json written"
	fi
	# The guest's own verdict: exit status, splats, hangs.
	splats=$(cat "$log" "$d/share/dmesg.txt" 2>/dev/null | grep -aE "$SPLAT" | sort -u | head -20)
	if [ $rc = 124 ]; then
		not_ok "[$k] guest finished (hung: no verdict within ${GUEST_TIMEOUT}s)"
		tail -n 20 "$log" | sed 's/^/#   /'
	elif [ $rc != 0 ] || [ -n "$splats" ]; then
		not_ok "[$k] guest finished cleanly, no kernel splat"
		[ -n "$splats" ] && echo "$splats" | sed 's/^/#   splat: /'
		grep -aE '^(HARNESS|RESULT)' "$log" | sed 's/^/#   /'
	else
		ok "[$k] guest finished cleanly, no kernel splat"
	fi
	echo "kernel $k ($ABI): $((pass - p0)) passed, $((fail - f0)) failed, $((skip - s0)) skipped in $(since "$kt")s"
done
finish
