# SPDX-License-Identifier: GPL-2.0
# Shared settings and helpers for the drm_sgdemo VM harness. Sourced, never run.
#
# The cache lives outside the work tree; override with SGDEMO_CACHE.
# Layout:  $CACHE/debs/            downloaded .deb files
#          $CACHE/apt/SUITE/       private apt state for suites other than bookworm
#          $CACHE/k/ABI/           a kernel unpacked with dpkg -x (+ .done stamp)
#          $CACHE/k/ALIAS.env      ABI, KROOT, VMLINUZ, KDIR, BUILD for an alias
#          $CACHE/sid/             the sid chroot: toolchain for 7.x, IGT userland

SGDEMO_CACHE=${SGDEMO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drm_sgdemo}
CACHE=$SGDEMO_CACHE
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM=$TOP/tools/vm
SID=$CACHE/sid

say()  { printf '==> %s\n' "$*"; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# TAP result lines (docs/harness.md, "Results"), counted by tools/vm/tally
# alone; diag turns its input into diagnostic lines.
ok()     { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }
diag()   { sed 's/^/#   /'; }

# The kernel table, tools/vm/kernels: kernel_row ALIAS prints ALIAS's line
# (alias suite from build groups dma) and fails for an unknown one.
kernel_row()
{
	awk -v a="$1" '!/^#/ && $1 == a { print; found = 1 } END { exit !found }' "$VM/kernels"
}

# kernels_in GROUP: the aliases of GROUP, in the table's order, one a line.
kernels_in()
{
	awk -v g="$1" '!/^#/ && NF && index("," $5 ",", "," g ",") { print $1 }' "$VM/kernels"
}

# kernel_targets KERNEL...: what a guest boots, one a line, each once: a
# kernel for each DMA setup of its row, ALIAS for the first setup and
# ALIAS+SETUP for the others. ALIAS+SETUP and unknown aliases stay as given.
kernel_targets()
{
	local k row
	for k in "$@"; do
		if [ "$k" = "${k%+*}" ] && row=$(kernel_row "$k"); then
			echo "$row" | awk '{ n = split($6, s, ","); print $1
				for (i = 2; i <= n; i++) print $1 "+" s[i] }'
		else
			echo "$k"
		fi
	done | awk '!seen[$0]++'
}

# dma_setup SETUP FIELD: a field of SETUP's line in tools/vm/dma-setups
# (2: extra QEMU arguments, 3: extra guest command line, 4: the shares'
# virtio device properties, 5: the driver's module parameters, 6: the IGT
# device's sysfs path); fails for an unknown setup.
dma_setup()
{
	awk -F'|' -v s="$1" -v f="$2" '
		function trim(x) { gsub(/^[ \t]+|[ \t]+$/, "", x); return x }
		!/^#/ && trim($1) == s { print trim($f); found = 1 }
		END { exit !found }' "$VM/dma-setups"
}

# setup_of TARGET: the DMA setup TARGET boots in: SETUP of ALIAS+SETUP when
# its row lists it, the row's first for ALIAS.
setup_of()
{
	local dma
	dma=$(kernel_row "${1%%+*}" | awk '{ print $6 }')
	[ -n "$dma" ] || return 1
	case $1 in
	*+*) case ",$dma," in *",${1#*+},"*) echo "${1#*+}" ;; *) return 1 ;; esac ;;
	*) echo "${dma%%,*}" ;;
	esac
}

# setup_tags SETUP: the words a test list's setup tag can name for SETUP
# (igt-tests/testlist.txt): its name and the bus of its IGT device.
setup_tags()
{
	local igt
	igt=$(dma_setup "$1" 6) || return 1
	case $igt in
	*/pci*) echo "$1 pci" ;;
	*) echo "$1 platform" ;;
	esac
}

# target_label TARGET: how result lines name TARGET: its kernel and its DMA
# setup ("7.2 direct", "7.2 swiotlb"); TARGET itself when it has no setup.
target_label()
{
	local s
	s=$(setup_of "$1") && echo "${1%%+*} $s" || echo "$1"
}

# kernel_env TARGET: loads the .env of TARGET's kernel (tools/vm/fetch-kernel.sh).
kernel_env()
{
	BUILTIN=0
	. "$CACHE/k/${1%%+*}.env"
}

# The project's version: debian/changelog's, its one home (tools/version).
sgdemo_version()
{
	"$TOP/tools/version"
}

# The Debian mirror the host itself uses (never hard-coded in the repository).
host_mirror()
{
	local m
	m=$(awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ { print u; exit }' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null)
	[ -n "$m" ] || m=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null)
	[ -n "$m" ] || die "cannot find the host's Debian mirror in /etc/apt"
	echo "$m"
}

# papt SUITE apt-get|apt-cache ARGS... : apt with a private configuration for SUITE,
# so the system's sources and state are never touched. bookworm uses the system apt.
papt()
{
	local suite=$1 tool=$2 d
	shift 2
	if [ "$suite" = bookworm ]; then
		"$tool" "$@"
		return
	fi
	d=$CACHE/apt/$suite
	if [ ! -f "$d/.updated" ] || [ -n "$(find "$d/.updated" -mmin +720)" ]; then
		mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts" "$d/prefs"
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(host_mirror) $suite main" \
			> "$d/sources.list"
		: > "$d/status"
		apt-get -qq "${PAPT_OPTS[@]/@D@/$d}" update >"$d/update.log" 2>&1 ||
			{ cat "$d/update.log" >&2; die "apt update for $suite failed"; }
		touch "$d/.updated"
	fi
	"$tool" "${PAPT_OPTS[@]/@D@/$d}" "$@"
}
PAPT_OPTS=(-o Dir::Etc::SourceList=@D@/sources.list -o Dir::Etc::SourceParts=@D@/parts
	   -o Dir::Etc::Preferences=@D@/prefs/none -o Dir::Etc::PreferencesParts=@D@/prefs
	   -o Dir::State::Lists=@D@/lists -o Dir::State::status=@D@/status
	   -o Dir::Cache=@D@/cache -o APT::Get::List-Cleanup=0
	   -o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false)

# linux_source: the source package of the debug kernel (its row in
# tools/vm/kernels: linux-source-7.2 from sid, private apt config), unpacked
# once under $CACHE/debug; prints the tree's path and the version. The debug
# kernel is built from it (out of tree, with the driver dropped in) and
# `make lint` and `make docs` take checkpatch.pl and kernel-doc from it.
linux_source()
{
	local suite pkg ver d=$CACHE/debug
	read -r _ suite pkg _ < <(kernel_row debug) || die "no debug kernel in tools/vm/kernels"
	ver=$(papt "$suite" apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p')
	[ -n "$ver" ] || die "no $pkg in $suite"
	if [ ! -f "$d/.src-$ver" ]; then
		say "fetching and unpacking $pkg $ver (about 1.3 GB)" >&2
		# Only a tree that unpacked completely gets its stamp.
		(
			set -e
			mkdir -p "$d"
			rm -rf "$d/$pkg" "$d"/x "$d"/.src-*
			cd "$d"
			papt "$suite" apt-get download -qq -o APT::Sandbox::User=root "$pkg" >&2
			dpkg -x "$(ls -t "$d/${pkg}_"*.deb | head -1)" "$d/x"
			tar -xf "$d"/x/usr/src/$pkg.tar.* -C "$d"
			rm -rf "$d/x" "$d/${pkg}_"*.deb
			touch "$d/.src-$ver"
		) || die "$pkg: download or unpack failed"
	fi
	echo "$d/$pkg $ver"
}

# The bind mounts (for SID_BINDS) that make the work tree and each DIR visible
# in the sid chroot at the same paths; a DIR inside the work tree needs none.
sid_binds_for()
{
	local binds=$TOP d
	for d in "$@"; do
		case $d in
		"$TOP" | "$TOP"/*) ;;
		*) binds="$binds $d" ;;
		esac
	done
	echo "$binds"
}

# kernel_run OUTDIR LOG "PKGS" CMD...: runs CMD for the kernel whose .env is
# loaded, where its modules build: on the host for bookworm kernels; in the
# sid chroot for the others, with the kernel's compiler and PKGS installed
# there and the kernels and OUTDIR bound in. The output goes to LOG and is
# shown when CMD fails.
kernel_run()
{
	local outdir=$1 log=$2 pkgs=$3
	shift 3
	if [ "$BUILD" = host ]; then
		"$@" > "$log" 2>&1 || { cat "$log"; return 1; }
	else
		"$VM/sid-root.sh" "$KCC" $pkgs || return 1
		SID_BINDS=$(sid_binds_for "$CACHE/k" "$outdir") in_sid "$@" > "$log" 2>&1 ||
			{ cat "$log"; return 1; }
	fi
}

# Run a command inside the sid chroot with /proc mounted, in a private mount namespace.
# Extra bind mounts: SID_BINDS="hostdir ..." (mounted at the same path inside).
in_sid()
{
	local b binds=""
	for b in ${SID_BINDS:-}; do
		binds="$binds mkdir -p '$SID$b' && mount --bind '$b' '$SID$b' &&"
	done
	unshare -m sh -c "mount -t proc proc '$SID/proc' && $binds chroot '$SID' \"\$@\"" sh "$@"
}
