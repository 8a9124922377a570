#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: `make bench`. For each kernel of BENCH_KERNELS (default: the bench
# group of tools/vm/kernels),
# boots a guest with vgem and drm_sgdemo and runs tools/bench/sgdemo_bench
# (one vCPU, 2 GiB, nothing else running in the guest). Kernels run one after
# the other, so that no two guests share the host's cores. Writes, in
# out/bench: KERNEL.json (the program's output), KERNEL.txt (a table), and
# bench.md and bench.png (every kernel side by side; tools/vm/bench.py, gnuplot).
# BENCH_SMOKE=1 makes it a short run that only proves the path works (CI).
# BENCH_TRACE=1 instead traces 300 creates and closes per driver with ftrace
# and prints where each spends its time (tools/vm/ftrace-sum.py).
set -euo pipefail
. "$(dirname "$0")/common.sh"
kernels=${BENCH_KERNELS:-$(kernels_in bench | paste -sd ' ')}
out=$TOP/out/bench
t0=$(now)

say "step 1: host packages, kernels, sid userland"
"$VM/host-deps.sh" gnuplot-nox
"$VM/fetch-kernel.sh" $kernels
"$VM/sid-root.sh" $(sid_compilers $kernels)
rm -rf "$out"
mkdir -p "$out"
say "step 2: the benchmark (built in the sid chroot)"
"$VM/build-userspace.sh" "$out/bin" > /dev/null
append=
[ "${BENCH_SMOKE:-0}" = 1 ] && append=harness.bench=smoke
[ "${BENCH_TRACE:-0}" = 1 ] && append=harness.bench=trace
for k in $kernels; do
	. "$CACHE/k/$k.env"
	d=$out/$k
	mkdir -p "$d/share"
	say "kernel $k ($ABI): build, boot, measure"
	"$VM/build-module.sh" "$k" "$d/build" > "$d/build.log" 2>&1 || { cat "$d/build.log"; exit 1; }
	"$VM/mkinitramfs.sh" "$k" "$d/initrd.cpio" "$VM/guest/bench.sh" \
		"$d/build/drm_sgdemo/drm_sgdemo.ko"
	cp -a "$out/bin" "$d/share/bin"
	if ! GUEST_SMP=1 GUEST_MEM=2G GUEST_APPEND="$append" \
		"$VM/run-guest.sh" "$VMLINUZ" "$d/initrd.cpio" "$d/share" 1800; then
		tr -d '\r' < "$d/share/serial.log" | grep -aE '^(bench|HARNESS|RESULT)' || true
		die "benchmark on $k failed"
	fi
	tr -d '\r' < "$d/share/serial.log" | grep -a '^bench: ' || true
	if [ "${BENCH_TRACE:-0}" = 1 ]; then
		python3 "$VM/ftrace-sum.py" "$d/share/trace.txt" 300 | tee "$out/$k-trace.txt"
		continue
	fi
	cp "$d/share/bench.json" "$out/$k.json"
done
[ "${BENCH_TRACE:-0}" = 1 ] && exit 0
say "step 3: table and plot"
python3 "$VM/bench.py" "$out" $kernels
echo "bench: done in $(since "$t0")s; $out/bench.md, $out/bench.png"
