# SPDX-License-Identifier: GPL-2.0
# What the guest scripts share (busybox sh). tools/vm/run puts it next to
# the script in the run's folder: /root/mnt/lib.sh in the guest.
KO=/lib/modules/extra/drm_sgdemo.ko
COUNTERS=/sys/kernel/debug/sgdemo/counters
# sgdemo's device. IGT's device filter pins the upstream tests to it: with
# DRIVER_ANY they would open the first DRM device that is not vgem, whatever
# probed first (guest/check.sh checks that the path is sgdemo's).
SGDEMO_SYSFS=/sys/devices/platform/sgdemo
export IGT_DEVICE=sys:$SGDEMO_SYSFS

# load_driver: insmod drm_sgdemo, unless it is built into the kernel.
load_driver()
{
	[ ! -e $KO ] || insmod $KO
}

# harness_opt NAME: the value of harness.NAME=VALUE on the kernel command line.
harness_opt()
{
	sed -n "s/.*harness\.$1=\([a-z-]*\).*/\1/p" /proc/cmdline
}

# counters_zero: prints the driver's debugfs counters; true when every one
# of them is back at zero.
counters_zero()
{
	cat $COUNTERS && grep -q '^objects 0$' $COUNTERS && ! grep -qv ' 0$' $COUNTERS
}
