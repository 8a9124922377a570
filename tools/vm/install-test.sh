#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install-test.sh ALIAS OUTDIR
#
# Proves `make install` and `make uninstall` for kernel ALIAS, in a copy of
# the tree under OUTDIR, into a staging root there (INSTALL_MOD_PATH, and
# PREFIX for the header and pkg-config file): the module lands in updates/ of the kernel's module
# folder with the kernel's vermagic, the uAPI header in include/drm/, and a
# program built with `pkg-config --cflags drm_sgdemo` compiles against it.
# Uninstall must leave no sgdemo file behind. On the host for bookworm
# kernels, in the sid chroot for the others.
set -euo pipefail
. "$(dirname "$0")/common.sh"
alias=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
. "$CACHE/k/$alias.env"
tree=$out/tree
stage=$out/stage

rm -rf "$tree" "$stage"
mkdir -p "$tree/debian" "$tree/tools" "$stage"
(cd "$TOP" && cp -a dkms.conf Makefile Kconfig drm_sgdemo uapi "$tree/" && cp debian/changelog "$tree/debian/" &&
	cp tools/version "$tree/tools/")
cat > "$out/uses-uapi.c" <<'EOF'
#include <stdio.h>
#include <drm_sgdemo.h>

int main(void)
{
	struct drm_sgdemo_create create = { .size = 4096 };

	printf("%lx %zu\n", (unsigned long)DRM_IOCTL_SGDEMO_CREATE, sizeof(create));
	return 0;
}
EOF
script="set -e
cd '$tree'
make -s install KDIR='$KDIR' INSTALL_MOD_PATH='$stage' PREFIX='$stage/usr'
ls '$stage'/lib/modules/'$ABI'/updates/drm_sgdemo.ko* '$stage'/usr/lib/modules/'$ABI'/updates/drm_sgdemo.ko* 2>/dev/null |
	head -1 > '$out/installed'
test -s '$out/installed'
modinfo -F vermagic \$(cat '$out/installed') | grep -q '^$ABI '
test \"\$(modinfo -F version \$(cat '$out/installed'))\" = '$(sgdemo_version)'
grep -rqs --include=modules.dep drm_sgdemo.ko '$stage'
test -f '$stage/usr/include/drm/drm_sgdemo.h'
export PKG_CONFIG_PATH='$stage/usr/share/pkgconfig'
cc -Wall -Werror \$(pkg-config --cflags drm_sgdemo) -o '$out/uses-uapi' '$out/uses-uapi.c'
echo \"install: \$(cat '$out/installed' | sed 's|$stage||'), pkg-config drm_sgdemo \$(pkg-config --modversion drm_sgdemo)\"
make -s uninstall KDIR='$KDIR' INSTALL_MOD_PATH='$stage' PREFIX='$stage/usr'
left=\$(find '$stage' -name '*sgdemo*')
test -z \"\$left\" || { echo \"left after uninstall: \$left\"; exit 1; }
"
# depmod has only our module in the staging root: its notes about the
# kernel's own lists (modules.order, modules.builtin) are expected there.
kernel_run "$out" "$out/install.log" "" sh -c "$script"
grep '^install: ' "$out/install.log"
