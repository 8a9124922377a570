#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""xfail.py LIST [--check SETUPS KERNELS]

Applies igt-tests/expected-failures.txt (LIST) to the TAP result lines on
stdin and writes them to stdout (a converter: it classifies, tools/vm/tally
counts). A line of LIST:

    SETUP KERNEL TEST  # REASON

SETUP and KERNEL are globs on the DMA setup and the kernel alias a result
line names ("[7.2 swiotlb]"), TEST a glob on the test's name, the text
after the label: "igt@BINARY@SUBTEST" or a harness check's name, which may
hold spaces; a name followed by ": DETAIL" (how it failed) matches too.
The reason is required. For a result of a listed test:

    not ok N - [7.2 swiotlb] NAME: fail
 -> ok N - [7.2 swiotlb] NAME: fail # expected failure: REASON
    ok N - [7.2 swiotlb] NAME
 -> not ok N - [7.2 swiotlb] NAME: unexpectedly passes: remove it from
    expected-failures.txt (REASON)

Skips and every other line pass unchanged. With --check, stdin is not
read: each line of LIST must have a reason and name a setup of SETUPS and
a kernel of KERNELS (comma-separated) through its globs; a bad line is
printed as a failed result, and the exit status is 1."""
import fnmatch
import re
import sys

RESULT = re.compile(r"^(not ok|ok)((?: +\d+)?)(\s*-\s*|\s+)\[([^\]]+)\] (.*)$")
SKIP = re.compile(r"#\s*SKIP\b", re.IGNORECASE)
ENTRY = re.compile(r"^(\S+)\s+(\S+)\s+(.*?)\s*(?:#\s*(.*?))?\s*$")


def entries(path):
    """(line number, setup glob, kernel glob, test glob, reason) a line."""
    with open(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = ENTRY.match(line.rstrip("\n"))
            if not m:
                yield number, None, None, line.strip(), None
                continue
            setup, kernel, test, reason = m.groups()
            yield number, setup, kernel, test, reason


def names(text):
    """The names a result's text stands for: all of it (less a SKIP) and
    every prefix that ends before a ": "."""
    text = SKIP.split(text)[0].rstrip()
    yield text
    for m in re.finditer(r": ", text):
        yield text[:m.start()]


def check(path, setups, kernels):
    bad = 0
    for number, setup, kernel, test, reason in entries(path):
        why = None
        if setup is None or not test:
            why = "not SETUP KERNEL TEST  # REASON"
        elif not reason:
            why = "no reason (# REASON)"
        elif not fnmatch.filter(setups, setup):
            why = f"no setup matches {setup} (tools/vm/dma-setups)"
        elif not fnmatch.filter(kernels, kernel):
            why = f"no kernel matches {kernel} (tools/vm/kernels)"
        if why:
            print(f"not ok - expected-failures.txt line {number}: {why}")
            bad = 1
    return bad


def main():
    if len(sys.argv) == 5 and sys.argv[2] == "--check":
        return check(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","))
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    listed = [e for e in entries(sys.argv[1]) if e[1] is not None and e[4]]
    sys.stdin.reconfigure(errors="surrogateescape")
    sys.stdout.reconfigure(errors="surrogateescape")
    for line in sys.stdin:
        m = RESULT.match(line.rstrip("\r\n"))
        if not m or SKIP.search(m.group(5)):
            sys.stdout.write(line)
            continue
        status, number, sep, label, text = m.groups()
        kernel, _, setup = label.partition(" ")
        reason = None
        for _, s, k, t, why in listed:
            if fnmatch.fnmatchcase(setup, s) and fnmatch.fnmatchcase(kernel, k) and \
                    any(fnmatch.fnmatchcase(n, t) for n in names(text)):
                reason = why
                break
        if reason is None:
            sys.stdout.write(line)
        elif status == "not ok":
            print(f"ok{number}{sep}[{label}] {text} # expected failure: {reason}")
        else:
            print(f"not ok{number}{sep}[{label}] {text}: unexpectedly passes: "
                  f"remove it from expected-failures.txt ({reason})")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
