#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The fstests runs of the base and of the patched kernel side by side.

Usage: fstests-table.py BASE_RUN_DIR PATCHED_RUN_DIR [ENTRY...]

Reads each run's fstests xunit reports (RUN_DIR/fstests/NAME/**/result.xml,
written by selftests/fstests/run-fstests.sh) and prints a Markdown table:
each test of each plan entry, its result on both kernels (pass, fail, not
run, or missing when the run never reached it), and the reason fstests gave
for a failure or a test that did not run.  Then the verdict lines: a test
that passes on the base and fails (or is missing) with the series is a
regression, and the script exits 1; so is one that fails with the series
and did not run (or is missing) on the base, which cannot be compared, and
a plan ENTRY (NAME of fstests:NAME) with no results on either kernel.
Given ENTRYs, only their tests are tabled.
Tests failing on both are listed.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def failure_reason(case, failure):
    """fstests' message; for an output mismatch, the first lines its diff
    (the xunit report's system-err) takes out and puts in, which say what
    went wrong where the message only names the .out.bad file."""
    message = failure.get("message", "")
    err = case.find("system-err")
    if "output mismatch" not in message or err is None or not err.text:
        return message
    changed = [line for line in err.text.splitlines()
               if line.startswith(("+", "-")) and not line.startswith(("---", "+++"))]
    return "output mismatch: " + "; ".join(changed[:2]) if changed else message


def results(run_dir):
    """{(entry, test): (status, reason)} from the run's xunit reports."""
    out = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "fstests", "*", "**", "result.xml"),
                                 recursive=True)):
        entry = os.path.relpath(path, os.path.join(run_dir, "fstests")).split(os.sep)[0]
        for case in ET.parse(path).getroot().iter("testcase"):
            name = case.get("name")
            failure = case.find("failure")
            skipped = case.find("skipped")
            if failure is not None:
                out[(entry, name)] = ("fail", failure_reason(case, failure))
            elif skipped is not None:
                out[(entry, name)] = ("not run", skipped.get("message", ""))
            else:
                out[(entry, name)] = ("pass", "")
    return out


def cell(result):
    status, reason = result
    reason = " ".join(reason.split())
    if len(reason) > 70:
        reason = reason[:67] + "..."
    return f"{status} ({reason})" if reason else status


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2])
    base, patched = results(sys.argv[1]), results(sys.argv[2])
    entries = sys.argv[3:]
    if entries:
        # Only the entries asked for: a run stopped in another leaves results
        # that have nothing to compare with.
        base = {k: v for k, v in base.items() if k[0] in entries}
        patched = {k: v for k, v in patched.items() if k[0] in entries}
    missing = ("missing", "")
    keys = sorted(set(base) | set(patched))
    print("| entry | test | base | patched |")
    print("|---|---|---|---|")
    for key in keys:
        print(f"| {key[0]} | {key[1]} | {cell(base.get(key, missing))} | {cell(patched.get(key, missing))} |")
    count = {k: sum(1 for r in d.values() if r[0] == "pass") for k, d in (("base", base), ("patched", patched))}
    regressions = [k for k in keys if base.get(k, missing)[0] == "pass" and patched.get(k, missing)[0] != "pass"]
    unknown = [k for k in keys if base.get(k, missing)[0] in ("not run", "missing")
               and patched.get(k, missing)[0] in ("fail", "missing")]
    both = [k for k in keys if base.get(k, missing)[0] == "fail" and patched.get(k, missing)[0] == "fail"]
    fixed = [k for k in keys if base.get(k, missing)[0] == "fail" and patched.get(k, missing)[0] == "pass"]
    print()
    print(f"fstests: {len(keys)} tests; passed: {count['base']} on the base, {count['patched']} with the series")
    for k in fixed:
        print(f"fails on the base, passes with the series: {k[0]} {k[1]}")
    for k in both:
        print(f"fails on both: {k[0]} {k[1]}: {cell(patched[k])}")
    for k in regressions:
        print(f"REGRESSION: {k[0]} {k[1]} passes on the base, {cell(patched.get(k, missing))} with the series")
    for k in unknown:
        print(f"CANNOT COMPARE: {k[0]} {k[1]} is {cell(base.get(k, missing))} on the base, "
              f"{cell(patched.get(k, missing))} with the series")
    lost = [e for e in entries
            if not any(k[0] == e for k in keys)]
    for e in lost:
        print(f"NO RESULTS: {e} has no fstests report on either kernel")
    if not keys:
        print("no fstests results found")
        return 1
    return 1 if regressions or unknown or lost else 0


if __name__ == "__main__":
    sys.exit(main())
