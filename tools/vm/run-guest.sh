#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh VMLINUZ INITRD OUTDIR [TIMEOUT]
#
# Boots a guest under QEMU with the sid chroot (or GUEST_ROOT, tools/vm/run
# --root) shared read-only (tag "sid") and
# OUTDIR shared read-write (tag "out"). The first serial port (ttyS0) is the
# guest's userland (guest/init writes there): it goes to OUTDIR/serial.log
# and, with VERBOSE=1, to stdout too (boot noise left out). The second
# (ttyS1) is the kernel's console, alone: every message at every level
# (ignore_loglevel), with its level (console_msg_format=syslog), from the boot
# to the power-off or a panic, into OUTDIR/kernel.log; the ring buffer
# (log_buf_len) holds all of it too. With GUEST_TTY=1 the terminal is ttyS0,
# both ways, and there is no timeout. GUEST_MEM, GUEST_SMP, GUEST_EXTRA and GUEST_APPEND (kernel
# command line), GUEST_QEMU (QEMU arguments, before every -device) and
# GUEST_SHARES (the shares' virtio device properties) shape the guest. Exit status:
# the guest's (tools/vm/guest/init: 0 only with "RESULT: PASS"), 124 when it
# hung past TIMEOUT seconds (default 600), 1 when it ended without a verdict
# (a panic; with GUEST_TTY=1, poweroff or Ctrl-a x end it with 0).
set -uo pipefail
. "$(dirname "$0")/common.sh"
kernel=$1 initrd=$2 out=$3 tmo=${4:-600}

# KVM only with real VT-x/AMD-V: the /dev/kvm here is PVM, where stock kernels hang.
accel=tcg
if grep -qwE 'vmx|svm' /proc/cpuinfo && [ -w /dev/kvm ]; then
	accel=kvm
fi
# share PATH TAG [,readonly=on]: adds a 9p share to shares, its virtio-9p-pci
# device with the properties of GUEST_SHARES (disable-legacy=on,
# iommu_platform=on: the share's I/O through the DMA API, tools/vm/dma-setups).
shares=()
share()
{
	shares+=(-fsdev "local,id=fs-$2,path=$1,security_model=none,multidevs=remap${3:-}"
		 -device "virtio-9p-pci,fsdev=fs-$2,mount_tag=$2${GUEST_SHARES:+,$GUEST_SHARES}")
}
share "${GUEST_ROOT:-$SID}" sid ,readonly=on
share "$out" out
# The firmware's lines, terminal escapes and empty lines are not the guest's.
console() { sed -u -e 's/\r$//' -e 's/\x1b\(c\|\[[0-9;?]*[A-Za-z]\)//g' \
	-e '/^\(SeaBIOS\|iPXE\|Press Ctrl-B\|Booting from ROM\)/d' -e '/^[[:space:]]*$/d'; }
# tsc=reliable: no clocksource watchdog. Under TCG on a loaded host it reads
# the emulated HPET late and logs "Long readout interval" or marks the TSC
# unstable, at KERN_WARNING, in the middle of a test (dmesg-warn).
# shellcheck disable=SC2206 # GUEST_QEMU is a list of arguments
qemu=(qemu-system-x86_64 -accel "$accel" -m "${GUEST_MEM:-1G}" -smp "${GUEST_SMP:-2}" -nographic -no-reboot
      -kernel "$kernel" -initrd "$initrd"
      -append "console=ttyS1 ignore_loglevel console_msg_format=syslog log_buf_len=8M panic=-1 oops=panic slub_debug=FZPU tsc=reliable ${GUEST_EXTRA:-} ${GUEST_APPEND:-}"
      -serial mon:stdio -serial "file:$out/kernel.log" -nic none ${GUEST_QEMU:-}
      "${shares[@]}"
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if [ "${GUEST_TTY:-0}" = 1 ]; then
	"${qemu[@]}" 2>&1 | tee "$out/serial.log"
	rc=${PIPESTATUS[0]}
	printf '\033[?7h'	# the firmware turned line wrapping off
elif [ "${VERBOSE:-0}" = 1 ]; then
	timeout --foreground -k 5 "$tmo" "${qemu[@]}" < /dev/null 2>&1 | tee "$out/serial.log" | console
	rc=${PIPESTATUS[0]}
else
	timeout --foreground -k 5 "$tmo" "${qemu[@]}" < /dev/null > "$out/serial.log" 2>&1
	rc=$?
fi
# A panic reaches only the kernel's console: its end is shown here.
if grep -aq 'Kernel panic' "$out/kernel.log" 2> /dev/null; then
	echo "run-guest.sh: the guest's kernel panicked; the end of $out/kernel.log:" >&2
	tail -n 40 "$out/kernel.log" >&2
fi
[ $rc = 124 ] || [ $rc = 137 ] && exit 124
# isa-debug-exit: QEMU exits with 2 * status + 1.
if [ $((rc % 2)) = 1 ] && grep -aq '^RESULT: ' "$out/serial.log"; then
	status=$(((rc - 1) / 2))
	[ $status != 0 ] || grep -aq '^RESULT: PASS' "$out/serial.log" || status=1
	exit $status
fi
# A shell left with poweroff (isa-debug-exit 0) or Ctrl-a x.
[ "${GUEST_TTY:-0}" = 1 ] && [ $rc -le 1 ] && exit 0
exit 1
