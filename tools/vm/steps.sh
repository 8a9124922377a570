# SPDX-License-Identifier: GPL-2.0
# The steps tools/vm/run takes before a boot. Sourced by it, never run.
#
# Each step that succeeds leaves a stamp in out/vm/stamps: a hash of what it
# read (scripts, sources, the kernel's .env, the state of the apt lists and
# of the sid chroot). A call whose hash matches the stamp skips the step, so
# repeated runs cost little. A step's output goes to stderr and to
# out/vm/logs/STEP.log; when it fails, FAILED names the step.
VMOUT=$TOP/out/vm
FAILED=

# hash_of WORD...: a short hash of the WORDs; a WORD that is the absolute
# path of a file stands for its content, of a folder for the content of
# its files (those git does not ignore).
hash_of()
{
	local w
	for w in "$@"; do
		if [ "${w#/}" != "$w" ] && [ -d "$w" ]; then
			echo "$w"
			(cd "$w" && { git ls-files -co --exclude-standard 2>/dev/null || find . -type f; } |
				LC_ALL=C sort | xargs -r -d '\n' sha256sum 2>/dev/null)
		elif [ "${w#/}" != "$w" ] && [ -f "$w" ]; then
			echo "$w $(sha256sum < "$w")"
		else
			echo "$w"
		fi
	done | sha256sum | cut -c1-16
}

# mtime FILE: when FILE last changed (apt lists, dpkg status), or "none".
mtime() { stat -c %Y "$1" 2>/dev/null || echo none; }

# step NAME KEY MESSAGE CMD...: runs CMD unless NAME's stamp holds KEY (and,
# with MAXAGE minutes set, is younger than that); stamps KEY when CMD succeeds.
step()
{
	local name=$1 key=$2 msg=$3 stamp=$VMOUT/stamps/$1 log=$VMOUT/logs/$1.log
	shift 3
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ] &&
		{ [ -z "${MAXAGE:-}" ] || [ -z "$(find "$stamp" -mmin +"$MAXAGE")" ]; }; then
		return 0
	fi
	say "$msg" >&2
	mkdir -p "$VMOUT/stamps" "$VMOUT/logs"
	if "$@" 2>&1 | tee "$log" >&2; then
		echo "$key" > "$stamp"
		return 0
	fi
	FAILED=$msg
	return 1
}

# prepare_host [PACKAGE...]: the host packages (tools/vm/host-deps.sh).
prepare_host()
{
	step host "$(hash_of "$VM/host-deps.sh" "$(mtime /var/lib/dpkg/status)" "$@")" \
		"host packages" "$VM/host-deps.sh" "$@"
}

# prepare_kernel ALIAS: the kernel, fetched (tools/vm/fetch-kernel.sh) or
# built (the debug kernel: with the driver's sources in its key). Its ABI
# is resolved again at the latest after 12 hours, as often as the private
# apt lists are refreshed.
prepare_kernel()
{
	local k=$1 row suite where lists env=$CACHE/k/$1.env src=
	row=$(kernel_row "$k") || { echo "unknown kernel '$k' (see tools/vm/kernels)" >&2; FAILED=kernel; return 1; }
	read -r _ suite _ where _ <<< "$row"
	lists=$CACHE/apt/$suite/.updated
	[ "$suite" != bookworm ] || lists=/var/lib/apt/lists
	[ "$where" != tree ] ||
		src="$TOP/drm_sgdemo $TOP/Kconfig $TOP/uapi $VM/selftest $VM/debug.config $TOP/patches ${CHECK_PLANT:-} core-patches=${SGDEMO_CORE_PATCHES:-1}"
	# shellcheck disable=SC2086 # src is a list of paths
	MAXAGE=720 step "kernel-$k" "$(hash_of "$row" "$VM/fetch-kernel.sh" "$VM/debug-kernel.sh" \
		"$VM/common.sh" "$(mtime "$lists")" "$env" "$(sed -n 's/^VMLINUZ=//p' "$env" 2>/dev/null |
		xargs -r stat -c %Y 2>/dev/null)" $src)" "kernel $k" "$VM/fetch-kernel.sh" "$k"
}

# prepare_sid [PACKAGE...]: the sid chroot (tools/vm/sid-root.sh) with the
# PACKAGEs, bind points for this work tree included.
prepare_sid()
{
	step "sid-$(echo "$*" | tr ' ' '-')" "$(hash_of "$VM/sid-root.sh" "$TOP" \
		"$(mtime "$SID/var/lib/dpkg/status")" "$@")" "sid userland${*:+: $*}" "$VM/sid-root.sh" "$@"
}

# prepare_userspace: the IGT tests and tools, built in the sid chroot into
# out/vm/bin (tools/vm/build-userspace.sh).
prepare_userspace()
{
	local d srcs=()
	for d in "$TOP"/tools/*/; do
		[ "$d" = "$VM/" ] || srcs+=("${d%/}")
	done
	[ -d "$VMOUT/bin" ] || rm -f "$VMOUT/stamps/userspace"
	step userspace "$(hash_of "$TOP/igt-tests" "$TOP/uapi" "$TOP/lib" "$TOP/debian/changelog" "${srcs[@]}" \
		"$VM/build-userspace.sh" "$VM/common.sh" "$VM/dma-setups" "$(mtime "$SID/var/lib/dpkg/status")")" \
		"userspace: IGT tests and tools" sh -c "rm -rf '$VMOUT/bin.new' &&
		'$VM/build-userspace.sh' '$VMOUT/bin.new' && rm -rf '$VMOUT/bin' &&
		mv '$VMOUT/bin.new' '$VMOUT/bin'"
}

# prepare TARGET: the shared steps for TARGET's kernel, and loads its .env:
# with HOST_PKGS on the host, SID_PKGS in the sid chroot if the kernel's
# modules build there, the userspace build unless USERSPACE=0.
prepare()
{
	# shellcheck disable=SC2086 # lists of packages
	prepare_host ${HOST_PKGS:-} && prepare_kernel "${1%%+*}" && kernel_env "$1" || return 1
	if [ "$BUILD" = sid ]; then
		prepare_sid "$KCC" ${SID_PKGS:-} || return 1
	elif [ "${USERSPACE:-1}" = 1 ]; then
		prepare_sid || return 1
	fi
	[ "${USERSPACE:-1}" = 0 ] || prepare_userspace
}

# build_module ALIAS DIR: the module in DIR, built W=1 for ALIAS into
# out/vm/ALIAS (tools/vm/build-module.sh); prints the .ko's path.
build_module()
{
	local k=$1 dir=$2 name
	name=$(basename "$dir")
	ls "$VMOUT/$k/$name/"*.ko > /dev/null 2>&1 || rm -f "$VMOUT/stamps/module-$k-$name"
	step "module-$k-$name" "$(hash_of "$dir" "$TOP/uapi" "$TOP/debian/changelog" "$VM/build-module.sh" "$VM/common.sh" \
		"$CACHE/k/$k.env" "$(mtime "$SID/var/lib/dpkg/status")" "$VM/selftest" \
		"plant=${CHECK_PLANT:-}")" "$k: building $name (W=1)" \
		"$VM/build-module.sh" "$k" "$VMOUT/$k" "$dir" || return 1
	ls "$VMOUT/$k/$name/"*.ko
}

# make_initramfs ALIAS KO...: the initramfs for ALIAS with the KOs, kept
# by the hash of its inputs in out/vm/ALIAS; prints its path.
make_initramfs()
{
	local k=$1 key f
	key=$(hash_of "$CACHE/k/$k.env" "$VM/mkinitramfs.sh" "$VM/guest/init" "$VM/guest/splat.txt" "${@:2}")
	f=$VMOUT/$k/initrd-$key.cpio
	if [ ! -f "$f" ]; then
		mkdir -p "$VMOUT/$k" "$VMOUT/logs"
		find "$VMOUT/$k" -maxdepth 1 -name 'initrd-*.cpio' -mmin +60 -delete
		"$VM/mkinitramfs.sh" "$k" "$f.tmp" "${@:2}" > "$VMOUT/logs/initramfs-$k.log" 2>&1 &&
			mv "$f.tmp" "$f" || { cat "$VMOUT/logs/initramfs-$k.log" >&2; FAILED=initramfs; return 1; }
	fi
	echo "$f"
}
