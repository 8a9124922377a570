#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py RESULTS_JSON EXPECTED LABEL [ALLOWED_SKIPS]

Turns igt_runner's results into TAP lines (docs/harness.md, "Results"),
one per IGT test, named "[LABEL] igt@…"; tools/vm/tally counts them. Every
test in EXPECTED must be in the results: a missing one failed ("did not
run"). Only 'pass' passes. 'skip' is a skip ("# SKIP reason") for upstream
tests and a failure for sgdemo's own tests, which the harness always gives
a device, unless ALLOWED_SKIPS lists the test for this kernel (LABEL, or
its alias when LABEL is ALIAS+SETUP). Anything else (fail, warn,
dmesg-warn, crash, timeout, incomplete, …) failed. An unreadable results
file is a failure too, and so is a non-zero exit."""
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


def main():
    path, expected_path, label = sys.argv[1:4]
    allowed = set()
    try:
        if len(sys.argv) > 4:
            with open(sys.argv[4]) as f:
                for line in f:
                    words = line.split()
                    if len(words) >= 2 and words[0] in (label, label.split("+")[0]):
                        allowed.add(words[1])
        with open(path) as f:
            tests = json.load(f)["tests"]
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
        own = name.startswith("igt@sgdemo_") and name not in allowed
        if outcome == "pass":
            result("ok", f"[{label}] {name}")
        elif outcome == "skip" and not own:
            result("ok", f"[{label}] {name} # SKIP {reason(test)}")
        else:
            result("not ok", f"[{label}] {name}: {outcome}")
            details(test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
