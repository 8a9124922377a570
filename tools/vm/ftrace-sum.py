#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ftrace-sum.py TRACE N

Reads a function_graph trace (funcgraph-tail on) of sgdemo_bench -T N: for
each driver, between its "bench-begin NAME" and "bench-end NAME" markers,
adds up the time of every function at each depth below drm_ioctl and prints
the average per create + close, the two drivers side by side, biggest
differences first."""
import re
import sys
from collections import defaultdict

LINE = re.compile(r"^\s*\d+\)\s+(?:[+!#*@$]\s*)?(?:(\d+\.\d+) us\s+)?\|(\s*)(.*)$")


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    times = {}
    current = None
    for raw in open(path, errors="replace"):
        m = re.search(r"bench-(begin|end) (\w+)", raw)
        if m:
            current = m.group(2) if m.group(1) == "begin" else None
            if current:
                times[current] = defaultdict(float)
            continue
        if current is None:
            continue
        m = LINE.match(raw.rstrip("\n"))
        if not m or m.group(1) is None:
            continue
        depth = (len(m.group(2)) - 1) // 2
        text = m.group(3).strip()
        name = re.match(r"(?:\} /\* )?([\w.]+)", text)
        if name:
            times[current][(depth, name.group(1))] += float(m.group(1))
    drivers = list(times)
    keys = set()
    for d in drivers:
        keys |= set(times[d])
    rows = sorted(keys, key=lambda k: (k[0], -max(abs(times[a].get(k, 0) - times[b].get(k, 0))
                                                 for a in drivers for b in drivers)))
    print(f"{'depth function':48}" + "".join(f"{d + ' us/op':>16}" for d in drivers))
    for depth, name in rows:
        vals = [times[d].get((depth, name), 0) / n for d in drivers]
        if max(vals) < 0.5:
            continue
        print(f"{depth} {'  ' * depth}{name:44}" + "".join(f"{v:16.1f}" for v in vals))


if __name__ == "__main__":
    main()
