#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py RESULTS_JSON EXPECTED LABEL [ALLOWED_SKIPS]

Prints one line per IGT test in the form check.sh counts: "ok - …",
"not ok - …" or "skip - …: reason". Every test in EXPECTED must be in the
results: a missing one failed ("did not run"). Only 'pass' passes. 'skip'
counts as skipped for upstream tests (with the reason shown) and as failed
for sgdemo's own tests, which the harness always gives a device, unless
ALLOWED_SKIPS lists the test for this kernel (LABEL). Anything else (fail,
warn, dmesg-warn, crash, timeout, incomplete, …) failed. An unreadable
results file is a failure too, and so is a non-zero exit."""
import json
import sys

NOISE = ("IGT-Version:", "Using IGT_SRANDOM", "Starting subtest", "Subtest ",
         "Starting dynamic", "Dynamic subtest")


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
                    if len(words) >= 2 and not words[0].startswith("#") and words[0] == label:
                        allowed.add(words[1])
        with open(path) as f:
            tests = json.load(f)["tests"]
        with open(expected_path) as f:
            expected = [line.strip() for line in f if line.strip()]
    except (OSError, ValueError, KeyError) as err:
        print(f"not ok - [{label}] IGT results readable: {err}")
        return 1
    for name in expected:
        if name not in tests:
            print(f"not ok - [{label}] {name}: did not run")
    for name in sorted(tests):
        test = tests[name]
        result = test.get("result", "missing")
        own = name.startswith("igt@sgdemo_") and name not in allowed
        if result == "pass":
            print(f"ok - [{label}] {name}")
        elif result == "skip" and not own:
            print(f"skip - [{label}] {name}: {reason(test)}")
        else:
            print(f"not ok - [{label}] {name}: {result}")
            details(test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
