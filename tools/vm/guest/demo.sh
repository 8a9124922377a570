# SPDX-License-Identifier: GPL-2.0
# The guest side of `make demo`, run by the guest's init as /etc/run.sh.
echo "demo: loading drm_sgdemo"
insmod /lib/modules/extra/drm_sgdemo.ko || exit 1
chroot /root /mnt/bin/sgdemo_demo || exit 1
echo "demo: after the client exited:"
sed 's/^/      counters: /' /sys/kernel/debug/sgdemo/counters
! grep -qv ' 0$' /sys/kernel/debug/sgdemo/counters && rmmod drm_sgdemo && echo "demo: drm_sgdemo unloaded"
