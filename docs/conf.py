# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration for `make docs`: sgdemo's documentation built the way
# the kernel builds its own, with the kernel's kernel-doc extension pulling
# the kernel-doc comments out of the sources. `make docs` sets srctree to a
# kernel source tree (Debian's linux-source-7.2) for the extension.
import os
import sys

srctree = os.path.abspath(os.environ["srctree"])
sys.path.insert(0, os.path.join(srctree, "Documentation", "sphinx"))

project = "drm_sgdemo"
author = "drm_sgdemo developers"
copyright = "2026, drm_sgdemo developers"
version = release = os.environ.get("SGDEMO_VERSION", "")

extensions = ["kerneldoc", "myst_parser"]
# The kernel-doc directives name files relative to the project's top.
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
kerneldoc_verbosity = 1

# Kernel annotations the C domain must read past, as the kernel's conf.py.
c_id_attributes = ["__user", "__iomem", "__must_check", "__always_inline", "noinline"]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build"]
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"]
html_theme = "alabaster"
html_static_path = []
