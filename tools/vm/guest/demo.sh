# SPDX-License-Identifier: GPL-2.0
# The guest side of `make demo`, run through tools/vm/run: a walk through a
# buffer's life with the sgdemo client (tools/client), one command a step. A
# step that fails stops the demo and fails `make demo`.
. /root/mnt/lib.sh
n=0
step()
{
	n=$((n + 1))
	echo
	echo "[$n] $1"
	shift
	echo "    \$ $*"
	out=$(chroot /root /mnt/bin/"$@" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	if [ $rc != 0 ]; then
		echo "demo: step $n failed (exit code $rc)"
		exit 1
	fi
}
echo "demo: loading drm_sgdemo (vgem is loaded too, as a dma-buf peer)"
load_driver || exit 1
step "Which device is this?" sgdemo info
step "An object and its borrowed table: the object owns it, pinned until the object goes" \
	sgdemo create 1M
step "An owned table: it holds its own reference, so it outlives the handle" \
	sgdemo sgt 4M
step "The copy engine fills an object; its fence says when the bytes are there" \
	sgdemo fill 1M 0xab
step "A copy job: the source is closed right after submitting, the job's owned tables keep it" \
	sgdemo copy 16M
step "Exported to vgem: vgem's import keeps the buffer after we close everything" \
	sgdemo export 1M vgem
step "Imported from vgem: read through an owned table, copied by a job" \
	sgdemo import 1M vgem
step "The DMA view of an owned table: what the device is given (on the platform device)" \
	sgdemo -d platform dma 4M
# With the IOMMU and QEMU's edu device (make demo boots that way), the same
# on the PCI device, then the device is removed under an owned table.
if ls -d /sys/bus/pci/drivers/sgdemo/0000:* > /dev/null 2>&1; then
	step "The same on the PCI device behind the IOMMU: fewer DMA segments than CPU ones, and a copy by edu's own DMA engine" \
		sgdemo -d pci dma 4M
	step "Remove the PCI device under an owned table and a CPU mapping" \
		sgdemo -d pci unplug 1M
	echo 1 > /sys/bus/pci/rescan
	step "Rescan the PCI bus: a new sgdemo device binds" sgdemo -d pci info
fi
n=$((n + 1))
echo
echo "[$n] How the client reports a mistake: a message, exit code 2, nothing done"
echo "    \$ sgdemo fill 1M 0x100"
out=$(chroot /root /mnt/bin/sgdemo fill 1M 0x100 2>&1)
rc=$?
echo "$out" | sed 's/^/    /'
echo "    (exit code $rc)"
[ $rc = 2 ] || { echo "demo: step $n: expected exit code 2"; exit 1; }
echo
echo "demo: after the client exited:"
counters_zero > /tmp/counters
zero=$?
sed 's/^/      counters: /' /tmp/counters
[ $zero = 0 ] && rmmod drm_sgdemo && echo "demo: drm_sgdemo unloaded"
