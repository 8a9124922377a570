#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# package-test.sh TARGET OUTDIR
#
# The Debian packages of `make deb`, tried as a new user would
# (docs/packaging.md), for TARGET's kernel (a 7.x kernel of the sid chroot:
# the packages' root is that chroot's userland). Prints TAP lines, one a step:
#
# 1. `make deb` (tools/deb.sh, without lintian: `make lint` runs it) into
#    OUTDIR/deb;
# 2. a root for the kernel: an overlay on the sid chroot (never written to:
#    the changes go to OUTDIR/upper), with the kernel's linux-headers and
#    linux-modules packages installed by apt-get (their downloads cached in
#    $CACHE/pkgtest);
# 3. `apt-get install ./….deb` of drm-sgdemo-dkms, libsgdemo0, libsgdemo-dev
#    and sgdemo-tools there: dh-dkms's postinst has DKMS build and install
#    drm_sgdemo for the kernel, natively (gcc under TCG would take minutes);
# 4. a guest of the kernel with that root (tools/vm/run --root, --no-module:
#    no drm_sgdemo in the initramfs) runs guest/packages.sh: modprobe by name,
#    the versions, `sgdemo info` and a copy job from the installed client, a
#    program built with pkg-config libsgdemo, modprobe -r;
# 5. `apt-get purge` in the root, and nothing may be left: no package, no
#    module, no header or pkg-config file, no DKMS tree, no file named
#    *sgdemo* that was not there before the install.
#
# Runs in a mount namespace of its own: the overlay and the mounts in it go
# with it.
set -uo pipefail
. "$(dirname "$0")/common.sh"
t=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
if [ -z "${PKGTEST_NS:-}" ]; then
	PKGTEST_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
kernel_env "$t"
L=$(target_label "$t")
ver=$(sgdemo_version)
root=$out/root
pkgs="drm-sgdemo-dkms libsgdemo0 libsgdemo-dev sgdemo-tools"
archives=$CACHE/pkgtest/archives

# result NAME SHOW CMD...: a TAP line for CMD; the last SHOW lines of its
# output as diagnostics when it passes, the last 30 when it fails.
result()
{
	local name=$1 show=$2 o
	shift 2
	if o=$("$@" 2>&1); then
		ok "[$L] packages: $name"
		[ "$show" = 0 ] || echo "$o" | tail -n "$show" | diag
	else
		not_ok "[$L] packages: $name"
		echo "$o" | tail -n 30 | diag
		return 1
	fi
}

# in_root CMD...: CMD in the packages' root, as root, with a clean environment.
in_root()
{
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# mounts: what the root needs while packages are installed or purged (proc,
# the kernel's .debs, our .debs, apt's cache of downloads).
mounts()
{
	mount -t proc proc "$root/proc" &&
	mkdir -p "$root/tmp/kdebs" "$root/tmp/debs" "$archives/partial" &&
	mount --bind -o ro "$CACHE/debs" "$root/tmp/kdebs" &&
	mount --bind -o ro "$out/deb" "$root/tmp/debs" &&
	mount --bind "$archives" "$root/var/cache/apt/archives"
}
unmounts()
{
	local m
	for m in var/cache/apt/archives tmp/debs tmp/kdebs proc; do
		! mountpoint -q "$root/$m" || umount "$root/$m"
	done
}

# make_root: the overlay, and the kernel's headers and modules in it.
make_root()
{
	local k=(linux-base-"$ABI" linux-modules-"$ABI" linux-headers-"$ABI" linux-headers-"${ABI%-*}"-common
		 linux-kbuild-"${ABI%-*}") debs=() p f
	for p in "${k[@]}"; do
		f=$(ls "$CACHE/debs/${p}_"*.deb 2> /dev/null | head -1)
		[ -n "$f" ] || { echo "no $p in $CACHE/debs (tools/vm/fetch-kernel.sh)"; return 1; }
		debs+=("/tmp/kdebs/$(basename "$f")")
	done
	mkdir -p "$out/upper" "$out/work" "$root" &&
	mount -t overlay sgdemo-pkgroot -o "lowerdir=$SID,upperdir=$out/upper,workdir=$out/work" "$root" &&
	mounts || return 1
	# The chroot's lists may be older than the archive: update once and retry.
	in_root apt-get -q -y install "${debs[@]}" > "$out/kernel.log" 2>&1 ||
		{ in_root apt-get -qq update && in_root apt-get -q -y install "${debs[@]}"; } >> "$out/kernel.log" 2>&1 ||
		{ tail -n 20 "$out/kernel.log"; return 1; }
	[ -e "$root/lib/modules/$ABI/build/Makefile" ] || { echo "no /lib/modules/$ABI/build"; return 1; }
	echo "root for $ABI: sid chroot overlay, linux-headers-$ABI and linux-modules-$ABI installed"
}

# sgdemo_files: every file or folder of the root named after sgdemo.
sgdemo_files() { in_root find / -xdev \( -name '*sgdemo*' -o -name '*drm-sgdemo*' \) | sort; }

# install: our packages, as a user installs them; DKMS builds the module.
install_pkgs()
{
	local st ko v
	(cd "$out/deb" && ls $(for p in $pkgs; do echo "${p}_${ver}_*.deb"; done)) > /dev/null || return 1
	in_root apt-get -q -y install $(for p in $pkgs; do ls "$out/deb/${p}_${ver}_"*.deb |
		sed 's|.*/|/tmp/debs/|'; done) > "$out/install.log" 2>&1 || { tail -n 30 "$out/install.log"; return 1; }
	st=$(in_root dkms status -m drm_sgdemo)
	echo "$st" | grep -q "^drm_sgdemo/$ver, $ABI, x86_64: installed" ||
		{ cat "$out/install.log"; echo "dkms status: $st"; return 1; }
	ko=$(in_root modinfo -k "$ABI" -n drm_sgdemo) || { echo "modinfo finds no drm_sgdemo for $ABI"; return 1; }
	v=$(in_root modinfo -k "$ABI" -F version drm_sgdemo)
	[ "$v" = "$ver" ] || { echo "$ko: version '$v', not $ver"; return 1; }
	for p in $pkgs; do
		v=$(in_root dpkg-query -W -f '${Version}' "$p")
		[ "$v" = "$ver" ] || { echo "$p: version '$v', not $ver"; return 1; }
	done
	grep -E '^(Setting up (drm-sgdemo|libsgdemo|sgdemo)|Loading new|Building (for|initial|module)|Signing|Installing|depmod)' \
		"$out/install.log" | head -n 12
	echo "dkms status: $st"
	echo "modinfo -k $ABI drm_sgdemo: $ko, version $v"
}

# purge: the packages purged; nothing of them may be left.
purge()
{
	local left= p
	in_root apt-get -q -y purge $pkgs > "$out/purge.log" 2>&1 || { tail -n 30 "$out/purge.log"; return 1; }
	for p in $pkgs; do
		! in_root dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2> /dev/null | grep -q '^[a-z]i' ||
			left="$left package $p;"
	done
	[ -z "$(in_root dkms status -m drm_sgdemo)" ] || left="$left dkms status: $(in_root dkms status -m drm_sgdemo);"
	for p in /usr/src/drm_sgdemo-* /var/lib/dkms/drm_sgdemo /usr/include/sgdemo.h /usr/include/drm/drm_sgdemo.h; do
		[ ! -e "$root/$p" ] || left="$left $p;"
	done
	! in_root modinfo -k "$ABI" -n drm_sgdemo > /dev/null 2>&1 || left="$left module $(in_root modinfo -k "$ABI" -n drm_sgdemo);"
	! grep -q sgdemo "$root/lib/modules/$ABI/modules.dep" || left="$left drm_sgdemo in modules.dep;"
	! in_root pkg-config --exists libsgdemo || left="$left pkg-config libsgdemo;"
	sgdemo_files > "$out/files.after"
	p=$(comm -13 "$out/files.before" "$out/files.after")
	[ -z "$p" ] || left="$left $(echo "$p" | paste -sd ' ');"
	[ -z "$left" ] || { grep -E '^(Removing|Purging|Deleting|Module)' "$out/purge.log"; echo "left:$left"; return 1; }
	grep -E '^(Removing|Purging|Deleting)' "$out/purge.log" | head -n 8
	echo "nothing left: no package, no DKMS tree (dkms status empty, no /var/lib/dkms/drm_sgdemo," \
		"no /usr/src/drm_sgdemo-$ver), no module for $ABI, no header, no pkg-config file," \
		"no file named *sgdemo* ($(wc -l < "$out/files.after") before and after)"
}

# guest: the installed packages used in a guest of the kernel, booted with
# the root; its TAP lines, and its verdict.
guest()
{
	local rc
	unmounts
	{ echo "VER=$ver"; cat "$VM/guest/packages.sh"; } > "$out/packages.sh"
	"$VM/run" -q --no-module --root "$root" --out "$out/share" --timeout "${GUEST_TIMEOUT:-600}" \
		--smp "${GUEST_SMP:-1}" "$t" -- "$out/packages.sh" > /dev/null 2> "$out/run.log"
	rc=$?
	tr -d '\r' < "$out/share/serial.log" 2> /dev/null | grep -aE '^(ok|not ok) [0-9]+ - |^#   ' |
		sed -E "s/^(ok|not ok) [0-9]+ - /\1 - [$L] /"
	if [ "$rc" = 0 ]; then
		ok "[$L] packages: guest finished cleanly, no kernel splat"
	else
		not_ok "[$L] packages: guest finished cleanly, no kernel splat (exit status $rc)"
		{ tail -n 10 "$out/run.log"; grep -aE '^(HARNESS|RESULT)' "$out/share/serial.log"; } 2> /dev/null | diag
	fi
	mounts
}

rm -rf "$out/deb" "$out/upper" "$out/work" "$root" "$out/share"
t0=$(now)
result "make deb: $(echo "$pkgs" | sed "s/ /, /g") $ver" 6 env LINTIAN=0 "$TOP/tools/deb.sh" "$out/deb" || exit 0
t1=$(now)
result "a root with linux-headers-$ABI and linux-modules-$ABI" 1 make_root || exit 0
t2=$(now)
sgdemo_files > "$out/files.before"
if result "apt-get install ./*.deb: dkms built drm_sgdemo $ver for $ABI" 20 install_pkgs; then
	t3=$(now)
	guest
fi
t4=$(now)
result "apt-get purge leaves nothing (no module, no header, no DKMS tree)" 12 purge
echo "# packages: make deb $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s," \
	"root $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.0f", b - a }') s," \
	"install and DKMS $(awk -v a="$t2" -v b="${t3:-$t2}" 'BEGIN { printf "%.0f", b - a }') s," \
	"guest $(awk -v a="${t3:-$t4}" -v b="$t4" 'BEGIN { printf "%.0f", b - a }') s," \
	"purge $(since "$t4") s; in all $(since "$t0") s"
unmounts
# A process of the purge may still be leaving the root: detach lazily then.
{ umount "$root" 2> /dev/null || umount -l "$root"; } && rm -rf "$out/upper" "$out/work" "$root"
exit 0
