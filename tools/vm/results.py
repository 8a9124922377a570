#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""results.py RESULTS_JSON LABEL: prints one line per IGT test, in the form
of check.sh (ok / not ok / skip with its reason). Only 'pass' passes and only 'skip' skips (its
reason is printed); fail, warn, dmesg-warn, crash, timeout, ... all fail."""
import json
import sys

IGNORE = ("IGT-Version:", "Using IGT_SRANDOM", "Starting subtest", "Subtest ",
          "Starting dynamic", "Dynamic subtest")


def reason(test):
    lines = []
    for stream in ("out", "err"):
        for line in test.get(stream, "").splitlines():
            if line.strip() and not line.startswith(IGNORE):
                lines.append(line.strip())
    return " | ".join(lines[-3:]) or "(no message)"


def main():
    path, label = sys.argv[1], sys.argv[2]
    with open(path) as f:
        tests = json.load(f)["tests"]
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for name in sorted(tests):
        result = tests[name]["result"]
        if result == "pass":
            counts["pass"] += 1
            print(f"ok - [{label}] {name}")
        elif result == "skip":
            counts["skip"] += 1
            print(f"skip - [{label}] {name}: {reason(tests[name])}")
        else:
            counts["fail"] += 1
            print(f"not ok - [{label}] {name}: {result}")
            for line in (tests[name].get("out", "") + tests[name].get("err", "")).splitlines()[-15:]:
                print(f"#   {line}")
            for line in tests[name].get("dmesg", "").splitlines():
                if line.startswith("<") and line[1:2] in "01234":
                    print(f"#   dmesg: {line}")



if __name__ == "__main__":
    main()
