#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh [KERNEL]: `make demo`. Boots one kernel (default: the first of the
# check group of tools/vm/kernels) with drm_sgdemo and walks through a
# buffer's life with the sgdemo client (tools/client), showing the guest's
# console (tools/vm/run with tools/vm/guest/demo.sh).
set -euo pipefail
. "$(dirname "$0")/common.sh"
k=${1:-$(kernels_in check | head -n 1)}
# With the IOMMU and QEMU's edu device (tools/vm/dma-setups): the demo shows
# sgdemo on the PCI device too, and its removal.
case $k in *+*) ;; *) k=$k+iommu ;; esac

say "make demo on kernel $k: the first run prepares the cache (host packages, kernel, sid userland), a few minutes"
exec "$VM/run" --timeout 300 --out "$TOP/out/demo/$k" "$k" -- "$VM/guest/demo.sh"
