#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: `make bench`. For each kernel of BENCH_KERNELS (default: the bench
# group of tools/vm/kernels), tools/vm/run boots a guest with vgem and
# drm_sgdemo and runs tools/bench/sgdemo_bench (tools/vm/guest/bench.sh; one
# vCPU, 2 GiB, nothing else running in the guest). Kernels run one after the
# other, so that no two guests share the host's cores. Writes, in out/bench:
# KERNEL.json (the program's output), KERNEL.txt (a table), and bench.md and
# bench.png (every kernel side by side; tools/vm/bench.py, gnuplot).
# BENCH_SMOKE=1 makes it a short run that only proves the path works (CI).
# BENCH_TRACE=1 instead traces 300 creates and closes per driver with ftrace
# and prints where each spends its time (tools/vm/ftrace-sum.py).
# BENCH_SCALING=1 adds the scaling run (sgdemo_bench -S: cost against object
# size, live objects and threads) in a guest of its own per kernel, with two
# vCPUs and 4 GiB: KERNEL.scaling.json and the plots bench-size.png,
# bench-objects.png and bench-threads.png; BENCH_SCALING=only runs nothing
# else. With BENCH_SMOKE=1 too, the scaling run is short as well.
set -euo pipefail
. "$(dirname "$0")/common.sh"
kernels=${BENCH_KERNELS:-$(kernels_in bench | paste -sd ' ')}
out=$TOP/out/bench
t0=$(now)
append=
[ "${BENCH_SMOKE:-0}" = 1 ] && append=harness.bench=smoke
[ "${BENCH_TRACE:-0}" = 1 ] && append=harness.bench=trace
scaling=${BENCH_SCALING:-0}
case $scaling in
0 | 1 | only) ;;
*) die "BENCH_SCALING is 0, 1 or only" ;;
esac

rm -rf "$out"
mkdir -p "$out"
for k in $kernels; do
	[ "$scaling" != only ] || break
	d=$out/$k
	say "kernel $k: build, boot, measure"
	if ! "$VM/run" -q --host-pkgs gnuplot-nox --out "$d" --smp 1 --mem 2G --timeout 1800 \
		${append:+--append "$append"} "$k" -- "$VM/guest/bench.sh"; then
		tr -d '\r' < "$d/serial.log" | grep -aE '^(bench|HARNESS|RESULT)' || true
		die "benchmark on $k failed"
	fi
	tr -d '\r' < "$d/serial.log" | grep -a '^bench: ' || true
	if [ "${BENCH_TRACE:-0}" = 1 ]; then
		python3 "$VM/ftrace-sum.py" "$d/trace.txt" 300 | tee "$out/$k-trace.txt"
		continue
	fi
	cp "$d/bench.json" "$out/$k.json"
done
[ "${BENCH_TRACE:-0}" = 1 ] && exit 0
# The DMA setups side by side: what they change (owned tables, jobs), once a
# setup, on the PCI device behind the IOMMU; not in a smoke run. On the
# kernels of BENCH_DMA_KERNELS (default 7.2, where it is benched; "none").
dma_kernels=${BENCH_DMA_KERNELS:-$(printf '%s\n' $kernels | grep -x '7\.2' || true)}
for k in $dma_kernels; do
	[ "$k" != none ] || break
	[ "${BENCH_SMOKE:-0}" = 1 ] || [ "$scaling" = only ] && break
	for setup in direct swiotlb iommu; do
		t=$k bus=platform
		[ $setup = direct ] || t=$k+$setup
		[ $setup != iommu ] || bus=pci
		say "kernel $k, DMA setup $setup: what the setup changes"
		"$VM/run" -q --out "$out/$k-$setup" --smp 1 --mem 2G --timeout 900 \
			--append "harness.bench=dma-$bus" "$t" -- "$VM/guest/bench.sh" ||
			die "benchmark of $k in setup $setup failed"
		cp "$out/$k-$setup/bench.json" "$out/$k-$setup.dma.json"
	done
done
# The scaling run: two vCPUs for the threads, 4 GiB for objects up to a
# quarter of it (and 100 000 small ones).
for k in $kernels; do
	[ "$scaling" != 0 ] || break
	say "kernel $k: scaling with size, live objects and threads"
	mode=scaling
	[ "${BENCH_SMOKE:-0}" != 1 ] || mode="scaling-smoke"
	if ! "$VM/run" -q --host-pkgs gnuplot-nox --out "$out/$k-scaling" --smp 2 --mem 4G \
		--timeout 2400 --append "harness.bench=$mode" "$k" -- "$VM/guest/bench.sh"; then
		tr -d '\r' < "$out/$k-scaling/serial.log" | grep -aE '^(bench|HARNESS|RESULT)' || true
		die "scaling run on $k failed"
	fi
	tr -d '\r' < "$out/$k-scaling/serial.log" | grep -a '^bench: ' || true
	cp "$out/$k-scaling/bench.json" "$out/$k.scaling.json"
done
say "tables and plots"
python3 "$VM/bench.py" "$out" $kernels
echo "bench: done in $(since "$t0")s; $out/bench.md and the plots in $out"
