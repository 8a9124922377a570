# SPDX-License-Identifier: GPL-2.0
# What the guest scripts share (busybox sh). tools/vm/run puts it next to
# the script in the run's folder: /root/mnt/lib.sh in the guest.
KO=/lib/modules/extra/drm_sgdemo.ko
COUNTERS=/sys/kernel/debug/sgdemo/counters
# sgdemo's platform device.
SGDEMO_SYSFS=/sys/devices/platform/sgdemo
# The DMA setup's settings (tools/vm/run from tools/vm/dma-setups): SETUP,
# DRIVER_PARAMS (insmod's), IGT_SYSFS (the device the upstream tests use).
SETUP=direct DRIVER_PARAMS= IGT_SYSFS=$SGDEMO_SYSFS
[ ! -f /root/mnt/setup.env ] || . /root/mnt/setup.env
# IGT's device filter pins the upstream tests to the setup's sgdemo device:
# with DRIVER_ANY they would open the first DRM device that is not vgem,
# whatever probed first (guest/check.sh checks that the path is sgdemo's).
# IGT compares the device's real path (/sys/devices/...).
IGT_SYSFS=$(readlink -f "$IGT_SYSFS" 2> /dev/null || echo "$IGT_SYSFS")
export IGT_DEVICE=sys:$IGT_SYSFS

# load_driver: insmod drm_sgdemo with the setup's parameters, unless it is
# built into the kernel (tools/vm/run put them on the command line).
load_driver()
{
	# shellcheck disable=SC2086 # a list of parameters
	[ ! -e $KO ] || insmod $KO $DRIVER_PARAMS
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
