# SPDX-License-Identifier: GPL-2.0
# The guest side of `make check`, run through tools/vm/run (busybox sh). The
# sid userland is at /root, the run's folder at /root/mnt with our programs
# in /root/mnt/bin. Prints one TAP line per harness check; the IGT results
# land in /root/mnt/results/results.json for the host to turn into TAP.
# harness.tests=selected (make check TESTS=...): the IGT tests of the list,
# which tools/vm/run cut down, and the leak and splat checks; no stress
# programs, client or unload with jobs in flight.
. /root/mnt/lib.sh
n=0
failed=0
t()
{
	n=$((n + 1))
	name=$1
	shift
	if "$@" > /tmp/t.out 2>&1; then
		echo "ok $n - $name"
		grep -E '^(hostile|churn|vkms|inflight|setup):' /tmp/t.out | sed 's/^/#   /'
	else
		echo "not ok $n - $name"
		sed 's/^/#   /' /tmp/t.out
		failed=1
	fi
}
no_dmabufs()
{
	tail -n 1 /sys/kernel/debug/dma_buf/bufinfo
	tail -n 1 /sys/kernel/debug/dma_buf/bufinfo | grep -q '^Total 0 objects'
}
# Kernel messages at KERN_WARNING or above since the harness's mark in the log,
# except the two that any unsigned out-of-tree module causes. Without the mark
# there is nothing to check: that fails.
no_warnings()
{
	dmesg | grep -q 'sgdemo-harness: tests start' ||
		{ echo "the mark 'sgdemo-harness: tests start' is not in the kernel log"; return 1; }
	dmesg -r | sed -n '/sgdemo-harness: tests start/,$p' | grep -E '^<[0-4]>' |
		grep -vE 'loading out-of-tree module taints kernel|module verification failed' \
		> /tmp/warnings
	head -n 12 /tmp/warnings
	[ ! -s /tmp/warnings ]
}
# kmemleak (debug kernel): scan twice, then fail on any leak whose trace runs
# through sgdemo, DRM, shmem or dma-buf code; other leaks are shown only.
no_leaks()
{
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak > /tmp/leaks
	grep -c '^unreferenced object' /tmp/leaks
	awk '/^unreferenced object/ { obj = $0 } /sgdemo|drm_|dma_buf|shmem/ && obj { print obj; obj = "" }' \
		/tmp/leaks > /tmp/ours
	head -n 40 /tmp/leaks
	[ ! -s /tmp/ours ]
}
# Unload with jobs in flight: a process leaves copies behind, four of them
# gated by a vgem fence nobody signals (vgem lets it expire after 10 s), and
# dies by SIGKILL; rmmod must succeed, and end before the gate expires, so
# it did not wait for it. From 6.2 on the scheduler keeps a killed
# process's gated jobs until their dependencies signal, so they must be
# alive at rmmod; 6.1's frees them at once. Then the driver loads again.
unload_busy()
{
	out=$(chroot /root /mnt/bin/sgdemo_inflight)
	echo "$out"
	gate=$(echo "$out" | sed -n 's/.*gate held by pid \([0-9]*\).*/\1/p')
	expires=$(echo "$out" | sed -n 's/.*expires at uptime \([0-9.]*\).*/\1/p')
	[ -n "$gate" ] && [ -n "$expires" ] || return 1
	jobs=$(sed -n 's/^jobs //p' /sys/kernel/debug/sgdemo/counters)
	echo "inflight: jobs alive before rmmod: $jobs"
	start=$(cut -d' ' -f1 /proc/uptime)
	rmmod drm_sgdemo
	rc=$?
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "inflight: rmmod took $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s," \
		"ended $(awk -v e="$end" -v x="$expires" 'BEGIN { printf "%.2f", x - e }') s before the gate expires"
	kill "$gate"
	[ -e /sys/module/drm_sgdemo ] || load_driver || return 1
	[ $rc = 0 ] || return 1
	# 6.1 has no gated job left to wait for: nothing more to check there.
	case $(uname -r) in 6.1.*) return 0 ;; esac
	[ "$jobs" -ge 4 ] || { echo "inflight: the 4 gated jobs were not alive at rmmod"; return 1; }
	awk -v e="$end" -v x="$expires" 'BEGIN { exit !(e < x) }' ||
		{ echo "inflight: rmmod ended after the gate expired: it may have waited for it"; return 1; }
}
# The sgdemo client: every command works, and misuse gets exit code 2 with
# a message, a missing device exit code 3.
client()
{
	want=$1
	shift
	chroot /root /mnt/bin/sgdemo "$@" > /tmp/client.out 2>&1
	rc=$?
	if [ $rc != "$want" ]; then
		echo "sgdemo $*: exit code $rc, expected $want"
		cat /tmp/client.out
		return 1
	fi
}
client_all()
{
	client 0 info && client 0 create 1M && client 0 sgt 2M &&
		client 0 fill 1M 0x5a && client 0 copy 8M && client 0 export 1M vgem &&
		client 0 import 1M vgem && client 0 stats && client 0 -r fill 64K 7 &&
		client 0 --help && client 0 copy --help &&
		client 2 && client 2 frobnicate && client 2 create && client 2 sgt 1M 2M &&
		client 2 fill 1M 256 && grep -q 'not a byte' /tmp/client.out &&
		client 2 create 12Q && grep -q 'not a size' /tmp/client.out &&
		client 3 export 1M no-such-driver && grep -q 'no no-such-driver' /tmp/client.out
}
nodes()
{
	ls $SGDEMO_SYSFS/drm/ && ls $SGDEMO_SYSFS/drm/ | grep -q '^card' &&
		ls $SGDEMO_SYSFS/drm/ | grep -q '^renderD'
}
# IGT_DEVICE (lib.sh) names sgdemo's device in this DMA setup: IGT ignores a
# filter whose path does not exist (with a warning) and opens any device. The
# device must be bound to a driver of drm_sgdemo (both its platform and its
# PCI driver are called sgdemo; a built-in driver has no module link) and
# have a DRM node.
igt_pinned()
{
	dev=${IGT_DEVICE#sys:}
	echo "IGT_DEVICE=$IGT_DEVICE"
	ls -l "$dev/driver" && ls "$dev/drm" | grep -q '^card' || return 1
	[ "$(basename "$(readlink "$dev/driver")")" = sgdemo ]
}
# The DMA setup is what it claims (tools/vm/dma-setups). swiotlb=force: the
# shares' virtio devices negotiated VIRTIO_F_ACCESS_PLATFORM (feature bit 33),
# so their I/O goes through the DMA API, and the bounce pool was used before
# sgdemo was loaded (its high-water mark, or, where there is none (6.1) or
# it stays 0 (7.3), the slots in use sampled while a share is read).
shares_bounce()
{
	for d in /sys/bus/virtio/devices/*; do
		echo "$(basename "$d"): $(basename "$(readlink "$d/driver")"), features $(cat "$d/features")"
		[ "$(cut -c34 "$d/features")" = 1 ] || { echo "no VIRTIO_F_ACCESS_PLATFORM"; return 1; }
	done
	tlb=/sys/kernel/debug/swiotlb
	hiwater=$(cat $tlb/io_tlb_used_hiwater 2> /dev/null)
	if [ "${hiwater:-0}" -gt 0 ]; then
		echo "setup: io_tlb_used_hiwater $hiwater of $(cat $tlb/io_tlb_nslabs) slabs"
		return
	fi
	# 6.1 has no high-water mark, and 7.3's stays 0 while slots are in use.
	find /root/usr/lib -type f -size +1000k | head -n 40 | xargs cat > /dev/null &
	reader=$! used=0
	while [ "$used" = 0 ] && kill -0 $reader 2> /dev/null; do
		used=$(cat $tlb/io_tlb_used)
	done
	kill $reader 2> /dev/null
	wait $reader
	echo "setup: io_tlb_used while reading the sid share: $used of $(cat $tlb/io_tlb_nslabs) slabs"
	[ "$used" -gt 0 ]
}
# intel_iommu=on: edu (1234:11e8) is on PCI in an IOMMU group of its own
# whose default domain translates (type DMA), in strict mode.
edu_behind_iommu()
{
	edu=
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && edu=$d
	done
	[ -n "$edu" ] || { echo "no edu (1234:11e8) on PCI"; return 1; }
	group=$(readlink -f "$edu/iommu_group")
	echo "setup: edu $(basename "$edu"), IOMMU group $(basename "$group"): $(ls "$group/devices")," \
		"type $(cat "$group/type")"
	[ "$(ls "$group/devices")" = "$(basename "$edu")" ] && [ "$(cat "$group/type")" = DMA ] &&
		dmesg | grep -q 'TLB invalidation policy: strict'
}
# run_igt [LIST [RESULTS [OPTION]]]: igt_runner over LIST (default:
# bin/testlist.txt), its results.json in RESULTS (default: /mnt/results).
# Then, after the whole list only, the kernel's own tests
# (bin/testlist-kernel.txt, tools/vm/run) into /mnt/results-kernel, each
# binary in one process (--multiple-mode): on the debug kernel an IGT
# process takes 4-5 s to start, and syncobj_wait, _timeline and _eventfd
# have 200 subtests.
run_igt()
{
	chroot /root /bin/sh -c '
		set -e
		rm -rf /tmp/igt
		mkdir -p /tmp/igt
		for b in $(sed -n "s/^igt@\([^@]*\).*/\1/p" "$1" | sort -u); do
			if [ -x /mnt/bin/$b ]; then
				ln -s /mnt/bin/$b /tmp/igt/$b
			else
				ln -s /usr/libexec/igt-gpu-tools/$b /tmp/igt/$b
			fi
		done
		{ echo TESTLIST; ls /tmp/igt; echo END TESTLIST; } > /tmp/igt/test-list.txt
		igt_runner -o $3 --per-test-timeout 180 --test-list "$1" /tmp/igt "$2"
	' sh "${1:-/mnt/bin/testlist.txt}" "${2:-/mnt/results}" "${3:-}" >> /root/mnt/igt_runner.log 2>&1 &&
		test -f "/root${2:-/mnt/results}/results.json" || return 1
	if [ $# = 0 ] && [ -f /root/mnt/bin/testlist-kernel.txt ]; then
		run_igt /mnt/bin/testlist-kernel.txt /mnt/results-kernel --multiple-mode
	fi
}
# Harness self-test (CHECK_INJECT=warn-between): the list in two igt_runner
# runs, a kernel WARNING between them, where no test's dmesg check sees it.
run_igt_split()
{
	head -n 1 /root/mnt/bin/testlist.txt > /root/mnt/bin/testlist-1.txt
	tail -n +2 /root/mnt/bin/testlist.txt > /root/mnt/bin/testlist-2.txt
	run_igt /mnt/bin/testlist-1.txt /mnt/results || return 1
	insmod /lib/modules/extra/sgdemo_selftest.ko
	if [ -s /root/mnt/bin/testlist-2.txt ]; then
		run_igt /mnt/bin/testlist-2.txt /mnt/results-2 || return 1
	fi
	[ ! -f /root/mnt/bin/testlist-kernel.txt ] ||
		run_igt /mnt/bin/testlist-kernel.txt /mnt/results-kernel --multiple-mode
}
# DMA-API debugging (debug kernel): no error counted (error_count 0), and
# still on (disabled, a debugfs bool, N): it switches itself off, e.g. out
# of entries, and then counts nothing.
dma_debug()
{
	echo "error_count $(cat /sys/kernel/debug/dma-api/error_count)"
	echo "disabled $(cat /sys/kernel/debug/dma-api/disabled)"
	case $1 in
	error_count) [ "$(cat /sys/kernel/debug/dma-api/error_count)" = 0 ] ;;
	disabled) [ "$(cat /sys/kernel/debug/dma-api/disabled)" = N ] ;;
	esac
}

# Everything of the full run (not with harness.tests=selected).
stress_and_client()
{
	# Short runs in make check; make check-debug asks for long ones (harness.stress=long).
	hostile=3 churn=6
	[ "$(harness_opt stress)" != long ] || { hostile=10 churn=30; }
	t "hostile input to every ioctl (${hostile} s)" chroot /root /mnt/bin/sgdemo_hostile $hostile
	t "churn: 4 threads (${churn} s)" chroot /root /mnt/bin/sgdemo_churn 4 $churn
	# vkms as an importer: built into the debug kernel, not in Debian's.
	if [ $builtin = 1 ] || [ -e /sys/module/vkms ]; then
		t "vkms scans out and writes back sgdemo buffers" chroot /root /mnt/bin/sgdemo_vkms
	fi
	t "the sgdemo client: every command, misuse refused" client_all
	t "counters at zero after hostile input, churn, vkms and the client" counters_zero
}

echo "<6>sgdemo-harness: tests start" > /dev/kmsg
# drm_sgdemo is a module here, or built into the kernel (the debug kernel).
builtin=1
[ -e $KO ] && builtin=0
full=1
[ "$(harness_opt tests)" != selected ] || full=0
echo "# DMA setup $SETUP, driver parameters '$DRIVER_PARAMS', IGT_DEVICE=$IGT_DEVICE"
if grep -q 'swiotlb=force' /proc/cmdline; then
	t "the 9p shares' I/O bounces through swiotlb" shares_bounce
fi
if grep -q 'intel_iommu=on' /proc/cmdline; then
	t "edu on PCI behind the IOMMU (own group, DMA domain, strict)" edu_behind_iommu
fi
[ $builtin = 1 ] || t "insmod drm_sgdemo${DRIVER_PARAMS:+ $DRIVER_PARAMS}" load_driver
t "sgdemo has a primary and a render node" nodes
t "counters at zero before the tests" counters_zero
t "upstream IGT tests pinned to sgdemo's device" igt_pinned
if [ "$(harness_opt inject)" = warn-between ]; then
	t "igt_runner ran the test list (two runs, a warning between them)" run_igt_split
else
	t "igt_runner ran the test list" run_igt
fi
t "counters at zero after the tests" counters_zero
[ $full = 0 ] || stress_and_client
t "no dma-buf left" no_dmabufs
if [ $builtin = 0 ] && [ $full = 1 ]; then
	t "unload with copy jobs in flight, load again" unload_busy
fi
# Harness self-test (CHECK_INJECT): prove that each kind of trouble turns red.
case $(harness_opt inject) in
fail) t "harness self-test: a check that fails" false ;;
warn) insmod /lib/modules/extra/sgdemo_selftest.ko ;;
hang) echo "harness self-test: hanging"; sleep 100000 ;;
esac
if [ $builtin = 0 ]; then
	t "rmmod drm_sgdemo" rmmod drm_sgdemo
	t "debugfs entries gone after rmmod" test ! -e /sys/kernel/debug/sgdemo
fi
[ -e /sys/kernel/debug/kmemleak ] && t "kmemleak: no leak of sgdemo, DRM or dma-buf memory" no_leaks
if [ $builtin = 1 ]; then
	t "DMA-API debugging: no error (error_count 0)" dma_debug error_count
	t "DMA-API debugging still on (disabled N)" dma_debug disabled
fi
t "no kernel message at warning level or above" no_warnings
echo "1..$n"
[ $failed = 0 ]
