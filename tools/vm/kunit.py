#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit.py DMESG TESTS_DIR LABEL

Turns the KUnit cases of sgdemo's suites that ran at boot, from the kernel
log, into TAP lines (docs/harness.md, "Results"), one per case, named
"[LABEL] kunit SUITE.CASE"; tools/vm/tally counts them. The suites and
cases expected are read from the sources in TESTS_DIR (.name = "…" and
KUNIT_CASE(…)), so a suite that did not run, or a case missing from the log,
is a failure. A skipped case is a failure too: the debug kernel has
everything the suite needs."""
import glob
import itertools
import re
import sys

NUMBER = itertools.count(1)


def result(status, text):
    print(f"{status} {next(NUMBER)} - {text}")


def expected(tests_dir):
    suites = {}
    for path in glob.glob(f"{tests_dir}/*.c"):
        text = open(path).read()
        names = re.findall(r'\.name\s*=\s*"([^"]+)"', text)
        cases = re.findall(r"KUNIT_CASE\((\w+)\)", text)
        for name in names:
            suites[name] = cases
    return suites


def main():
    dmesg, tests_dir, label = sys.argv[1:4]
    try:
        lines = [re.sub(r"^\[[^\]]*\]\s?", "", line.rstrip("\n"))
                 for line in open(dmesg, errors="replace")]
    except OSError as err:
        result("not ok", f"[{label}] KUnit log readable: {err}")
        return 1
    for suite, cases in sorted(expected(tests_dir).items()):
        try:
            start = next(i for i, line in enumerate(lines)
                         if line.strip() == f"# Subtest: {suite}")
        except StopIteration:
            result("not ok", f"[{label}] kunit {suite}: did not run")
            continue
        results = {}
        for line in lines[start + 1:]:
            m = re.match(r"^\s+(not ok|ok) \d+ (\w+)(.*)$", line)
            if m:
                results[m.group(2)] = (m.group(1), m.group(3))
            elif re.match(r"^(not ok|ok) \d+ " + re.escape(suite) + r"\b", line.strip()) \
                    and not line.startswith(" "):
                break
        for case in cases:
            status, rest = results.get(case, ("missing", ""))
            name = f"[{label}] kunit {suite}.{case}"
            if status == "ok" and "SKIP" not in rest:
                result("ok", name)
            else:
                result("not ok", f"{name}: {status}{rest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
