# SPDX-License-Identifier: GPL-2.0
# The guest half of tools/vm/package-test.sh (busybox sh, as root of the
# initramfs): the root at /root is the packages' root, drm-sgdemo-dkms,
# libsgdemo0, libsgdemo-dev and sgdemo-tools installed and DKMS's module in
# it; the initramfs has no drm_sgdemo. What a user does next, one TAP line a
# step: modprobe by name, the versions, the installed client, a program
# built with pkg-config libsgdemo, modprobe -r. package-test.sh puts
# VER=VERSION (debian/changelog's) before this script.
. /root/mnt/lib.sh
n=0
rc=0

# t NAME CMD...: a TAP line for CMD, its output as diagnostics (the last 4 lines).
t()
{
	local name=$1 o
	shift
	n=$((n + 1))
	if o=$("$@" 2>&1); then
		echo "ok $n - packages: $name"
	else
		echo "not ok $n - packages: $name"
		rc=1
	fi
	[ -z "$o" ] || echo "$o" | tail -n 4 | sed "s/^/#   /"
}

# in_root CMD...: CMD in the packages' userland, as a user's shell has it.
in_root()
{
	chroot /root /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LC_ALL=C.UTF-8 "$@"
}

# modprobe_by_name: drm_sgdemo is nowhere but in the root's module tree,
# and modprobe finds it and what it needs through modules.dep.
modprobe_by_name()
{
	local deps d new=
	! grep -q '^drm_sgdemo ' /proc/modules || { echo "drm_sgdemo already loaded"; return 1; }
	# /proc/modules spells every name with underscores (gpu-sched: gpu_sched).
	deps=$(in_root modinfo -F depends drm_sgdemo | tr ',-' ' _')
	for d in $deps; do
		grep -q "^$d " /proc/modules || new="$new $d"
	done
	in_root modprobe drm_sgdemo || return 1
	for d in drm_sgdemo $deps; do
		grep -q "^$d " /proc/modules || { echo "$d not loaded"; return 1; }
	done
	echo "$(in_root modinfo -n drm_sgdemo); depends: $deps; loaded with it:${new:- nothing}"
}

# versions: the module's and the client's are debian/changelog's.
versions()
{
	local m c
	m=$(cat /sys/module/drm_sgdemo/version)
	c=$(in_root sgdemo --version)
	echo "module $m (/sys/module/drm_sgdemo/version), client '$c'"
	[ "$m" = "$VER" ] && [ "$c" = "sgdemo $VER" ]
}

# pkg_config_program: three lines against libsgdemo, built as its users
# build theirs, run.
pkg_config_program()
{
	cat > /root/mnt/hello.c <<'PROG'
#include <sgdemo.h>
#include <stdio.h>
int main(void) { uint64_t size = 4096; int fd = __sgdemo_open_driver("sgdemo", SGDEMO_RENDER); if (fd < 0) return 1; printf("object %u of %llu bytes on the render node\n", sgdemo_create(fd, &size), (unsigned long long)size); return 0; }
PROG
	echo "cc -o hello hello.c $(in_root pkg-config --cflags --libs libsgdemo)"
	in_root sh -c 'cd /mnt && cc -Wall -Werror -o hello hello.c $(pkg-config --cflags --libs libsgdemo)' &&
		in_root /mnt/hello
}

t "modprobe drm_sgdemo by name (dependencies through modules.dep)" modprobe_by_name
t "the module and sgdemo --version say $VER" versions
t "sgdemo info (the installed client)" in_root sgdemo info
t "sgdemo copy 16M (a copy job)" in_root sgdemo copy 16M
t "a program built with pkg-config --cflags --libs libsgdemo runs" pkg_config_program
t "modprobe -r drm_sgdemo" in_root modprobe -r drm_sgdemo
exit $rc
