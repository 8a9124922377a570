#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh VMLINUZ INITRD OUTDIR [TIMEOUT]
#
# Boots a guest under QEMU with the sid chroot shared read-only (tag "sid") and
# OUTDIR shared read-write (tag "out"); the serial console goes to
# OUTDIR/serial.log and, with VERBOSE=1, to the terminal too. Exits 0 only when
# the guest printed "RESULT: PASS" and QEMU's isa-debug-exit agrees; 124 when
# the guest hung past TIMEOUT seconds (default 600).
set -uo pipefail
. "$(dirname "$0")/common.sh"
kernel=$1 initrd=$2 out=$3 tmo=${4:-600}

# KVM only with real VT-x/AMD-V: the /dev/kvm here is PVM, where stock kernels hang.
accel=tcg
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	accel=kvm
fi
share() { echo "local,path=$1,mount_tag=$2,security_model=none,multidevs=remap$3"; }
qemu=(qemu-system-x86_64 -accel "$accel" -m "${GUEST_MEM:-1G}" -smp "${GUEST_SMP:-2}" -nographic -no-reboot
      -kernel "$kernel" -initrd "$initrd"
      -append "console=ttyS0 panic=-1 oops=panic slub_debug=FZPU quiet loglevel=4 ${GUEST_EXTRA:-} ${GUEST_APPEND:-}"
      -virtfs "$(share "$SID" sid ,readonly=on)" -virtfs "$(share "$out" out '')"
      -nic none -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "${VERBOSE:-0}" = 1 ]; then
	timeout --foreground -k 5 "$tmo" "${qemu[@]}" < /dev/null 2>&1 | tee "$out/serial.log"
	rc=${PIPESTATUS[0]}
else
	timeout --foreground -k 5 "$tmo" "${qemu[@]}" < /dev/null > "$out/serial.log" 2>&1
	rc=$?
fi
[ $rc = 124 ] || [ $rc = 137 ] && exit 124
grep -aq '^RESULT: PASS' "$out/serial.log" && [ $rc = 1 ]
