#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""structure.py DIR: the driver's shape, as docs/harness.md states it.

Fails (exit 1, one line per finding) when a .c or .h file of DIR has more
than 450 lines, when a function in it has more than 80, or when the local
headers include each other in a circle ("a.h" -> "b.h" -> ... -> "a.h").
A function runs from its first line at column 0 to the closing brace at
column 0, as kernel style writes them.
"""
import pathlib
import re
import sys

MAX_FILE = 450
MAX_FUNC = 80
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)


def long_functions(path, lines):
    start = None
    for i, line in enumerate(lines):
        if start is None and re.match(r'^[a-z_].*[(,]$|^[a-z_].*\)$', line):
            start = i
        elif start is not None and line == '}':
            if i - start + 1 > MAX_FUNC:
                yield f'{path}:{start + 1}: function of {i - start + 1} lines ' \
                      f'(at most {MAX_FUNC}): {lines[start].strip()}'
            start = None
        elif start is not None and line.endswith(';') and not line.startswith('\t'):
            start = None    # a declaration, not a definition


def circles(headers):
    found = set()

    def walk(name, path):
        for inc in headers.get(name, ()):
            if inc in path:
                cycle = path[path.index(inc):]
                first = cycle.index(min(cycle))    # one name for each circle
                cycle = cycle[first:] + cycle[:first]
                found.add(' -> '.join(cycle + cycle[:1]))
            elif inc in headers:
                walk(inc, path + [inc])

    for name in headers:
        walk(name, [name])
    return sorted(found)


def main():
    top = pathlib.Path(sys.argv[1])
    files = sorted(top.glob('*.[ch]')) + sorted(top.glob('tests/*.[ch]'))
    problems = []
    headers = {}
    for path in files:
        text = path.read_text()
        lines = text.split('\n')
        if len(lines) - 1 > MAX_FILE:
            problems.append(f'{path}: {len(lines) - 1} lines (at most {MAX_FILE})')
        problems.extend(long_functions(path, lines))
        if path.suffix == '.h':
            headers[path.name] = [pathlib.Path(i).name for i in INCLUDE.findall(text)]
    problems.extend(f'include circle: {c}' for c in circles(headers))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
