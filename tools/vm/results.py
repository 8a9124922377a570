#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py RESULTS_JSON[,RESULTS_JSON...] EXPECTED LABEL [ALLOWED_SKIPS [MUST_PASS]]

Turns igt_runner's results into TAP lines (docs/harness.md, "Results"),
one per IGT test, named "[LABEL] igt@…"; tools/vm/tally counts them. The
results of several igt_runner runs (comma-separated files) count as one.
Every test in EXPECTED must be in the results: a missing one failed ("did
not run"). Only 'pass' passes. 'skip' is a skip ("# SKIP reason") for upstream
tests and a failure for sgdemo's own tests, which the harness always gives
a device, unless ALLOWED_SKIPS lists the test for this kernel (the alias
LABEL starts with: "7.2" of "7.2 swiotlb"). An upstream test that MUST_PASS lists
for this kernel fails when it skips, unless ALLOWED_SKIPS lists it there.
Anything else (fail, warn, dmesg-warn, crash, timeout, incomplete, …)
failed. An unreadable results file is a failure too, and so is a non-zero
exit."""
import itertools
import json
import sys

NOISE = ("IGT-Version:", "Using IGT_SRANDOM", "Starting subtest", "Subtest ",
         "Starting dynamic", "Dynamic subtest")
NUMBER = itertools.count(1)


def result(status, text):
    print(f"{status} {next(NUMBER)} - {text}")


def reason(test):
    lines = [line.strip()
             for stream in ("out", "err")
             for line in test.get(stream, "").splitlines()
             if line.strip() and not line.startswith(NOISE)]
    return " | ".join(lines[-3:]) or "(no message)"


def details(test):
    for line in (test.get("out", "") + test.get("err", "")).splitlines()[-15:]:
        print(f"#   {line}")
    for line in test.get("dmesg", "").splitlines():
        if line.startswith("<") and line[1:2] in "01234":
            print(f"#   dmesg: {line}")


def alias(label):
    """The kernel alias of a label: "7.2" of "7.2 swiotlb" (or of a target,
    "7.2+swiotlb")."""
    return label.split()[0].split("+")[0]


def setup(label):
    """The DMA setup of a label: "swiotlb" of "7.2 swiotlb"; "direct" when
    the label names none."""
    words = label.split()
    return words[1] if len(words) > 1 else "direct"


def listed(path, label):
    """The tests a list (allowed-skips.txt, must-pass.txt) names for this
    kernel and setup: lines "WHERE TEST [REASON]", WHERE "*" or kernel
    aliases and DMA setups joined by commas (the line holds where any of
    them does), TEST igt@BINARY (every subtest) or igt@BINARY@SUBTEST."""
    names = set()
    if not path:
        return names
    with open(path) as f:
        for line in f:
            words = line.split()
            if len(words) < 2 or words[0].startswith("#"):
                continue
            kernels = words[0].split(",")
            if "*" in kernels or alias(label) in kernels or setup(label) in kernels:
                names.add(words[1])
    return names


def matches(name, names):
    return name in names or name.rsplit("@", 1)[0] in names


def main():
    paths, expected_path, label = sys.argv[1:4]
    lists = sys.argv[4:6] + [None] * (6 - len(sys.argv))
    tests = {}
    try:
        allowed, must = (listed(path, label) for path in lists)
        for path in paths.split(","):
            with open(path) as f:
                tests.update(json.load(f)["tests"])
        with open(expected_path) as f:
            expected = [line.strip() for line in f if line.strip()]
    except (OSError, ValueError, KeyError) as err:
        result("not ok", f"[{label}] IGT results readable: {err}")
        return 1
    for name in expected:
        if name not in tests:
            result("not ok", f"[{label}] {name}: did not run")
    for name in sorted(tests):
        test = tests[name]
        outcome = test.get("result", "missing")
        skip_ok = not name.startswith("igt@sgdemo_") and not matches(name, must)
        if outcome == "pass":
            result("ok", f"[{label}] {name}")
        elif outcome == "skip" and (skip_ok or name in allowed):
            result("ok", f"[{label}] {name} # SKIP {reason(test)}")
        elif outcome == "skip" and matches(name, must):
            result("not ok", f"[{label}] {name}: skip, but must pass here (must-pass.txt)")
            details(test)
        else:
            result("not ok", f"[{label}] {name}: {outcome}")
            details(test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
