# SPDX-License-Identifier: GPL-2.0
# The guest side of `make bench`, run through tools/vm/run: drm_sgdemo next
# to vgem (loaded at boot), the benchmark, then the counters must be back at
# zero. harness.bench=smoke on the command line asks for the short run,
# harness.bench=scaling for the scaling run (scaling-smoke: its short form).
. /root/mnt/lib.sh
args=
case "$(harness_opt bench)" in
smoke) args=-s ;;
scaling | scaling-smoke)
	args=-S
	[ "$(harness_opt bench)" = scaling ] || args="-S -s"
	# The largest object (a quarter of the memory) is mapped up to three
	# times at once, one more than the default budget (half the memory)
	# allows: a budget of all the guest's memory.
	mem_kib=$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
	DRIVER_PARAMS="$DRIVER_PARAMS dma_budget_mib=$((mem_kib / 1024))"
	;;
esac
load_driver || exit 1
# harness.bench=trace: where create + close spends its time, per driver
# (ftrace's function_graph below drm_ioctl).
if [ "$(harness_opt bench)" = trace ]; then
	t=/sys/kernel/debug/tracing
	echo 0 > $t/tracing_on
	echo 65536 > $t/buffer_size_kb
	echo function_graph > $t/current_tracer
	echo drm_ioctl > $t/set_graph_function
	echo 7 > $t/max_graph_depth
	echo funcgraph-tail > $t/trace_options
	echo 1 > $t/tracing_on
	chroot /root /mnt/bin/sgdemo_bench -T 300 || exit 1
	echo 0 > $t/tracing_on
	cp $t/trace /root/mnt/trace.txt
	rmmod drm_sgdemo
	exit 0
fi
case "$(harness_opt bench)" in
dma-*) args="-D $(harness_opt bench | sed 's/^dma-//')" ;;
esac
echo "bench: sgdemo_bench $args"
chroot /root /mnt/bin/sgdemo_bench $args > /root/mnt/bench.json 2> /root/mnt/bench.log
rc=$?
cat /root/mnt/bench.log
[ $rc = 0 ] || exit 1
# The scaling run ends with jobs, which are freed off the scheduler's queue
# a moment after their fences signal: it gets a few seconds' grace.
tries=1
[ "$args" = "${args#-S}" ] || tries=5
while ! counters_zero > /tmp/counters; do
	tries=$((tries - 1))
	[ $tries -gt 0 ] || { echo "bench: counters not at zero"; cat /tmp/counters; exit 1; }
	sleep 1
done
rmmod drm_sgdemo
