#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# docs.sh: `make docs`. Renders docs/ as HTML into out/docs with Sphinx
# (Debian's, on the host), the way the kernel builds its documentation: an
# rst index, and the kernel's own kernel-doc extension (from linux-source-7.2)
# pulling the kernel-doc comments out of the driver and the uAPI header. Any
# Sphinx or kernel-doc warning fails it.
set -euo pipefail
. "$(dirname "$0")/common.sh"
"$VM/host-deps.sh"
read -r src _ < <(linux_source)
rm -rf "$TOP/out/docs"
srctree=$src SGDEMO_VERSION=$(sgdemo_version) \
	sphinx-build -q -W --keep-going -b html "$TOP/docs" "$TOP/out/docs"
echo "docs: $TOP/out/docs/index.html"
