#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Reduce "bench METRIC VALUE UNIT" lines of the base and the patched kernel to a
Markdown table: median, spread (min..max as +-% of the median), sample count,
and the ratio patched/base of the medians (below 1: the patched kernel is faster),
and of the minima: under TCG a boot can run a whole benchmark in a slow mode
(twice the time, in either kernel), which moves a median with how many boots
fell into it; the minima compare the fast mode.

The "boots" columns give the spread of the per-boot medians (min..max as +-%
of their median) over the boots of each kernel: how much one boot differs from
another, which is what an A/B of two kernels has to beat.

Usage: bench-table.py BASE_DIR PATCHED_DIR   (each holding BOOT/logs/*.log)
"""
import glob
import os
import statistics
import sys


def collect(top):
    values, units, boots = {}, {}, {}
    for path in sorted(glob.glob(os.path.join(top, '*', 'logs', '*.log'))):
        boot = path.split(os.sep)[-3]
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4 and parts[0] == 'bench':
                    values.setdefault(parts[1], []).append(float(parts[2]))
                    boots.setdefault(parts[1], {}).setdefault(boot, []).append(float(parts[2]))
                    units[parts[1]] = parts[3]
    return values, units, boots


def boot_spread(per_boot):
    meds = [statistics.median(v) for v in per_boot.values()]
    if len(meds) < 2:
        return 'n/a'
    mid = statistics.median(meds)
    spread = (max(meds) - min(meds)) / 2 / mid * 100 if mid else 0.0
    return f'±{spread:.2f}% ({len(meds)})'


def cell(samples):
    if not samples:
        return 'n/a', None
    med = statistics.median(samples)
    spread = (max(samples) - min(samples)) / 2 / med * 100 if med else 0.0
    return f'{med:.3f} ±{spread:.0f}% (n={len(samples)})', med


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    base, ubase, bboots = collect(sys.argv[1])
    patched, upatched, pboots = collect(sys.argv[2])
    metrics = sorted(set(base) | set(patched))
    if not metrics:
        sys.exit('bench-table.py: no "bench" lines found')
    print('| metric | unit | base | patched | patched/base | of the minima | base boots | patched boots |')
    print('|---|---|---|---|---|---|---|---|')
    for m in metrics:
        b, bmed = cell(base.get(m, []))
        p, pmed = cell(patched.get(m, []))
        ratio = f'{pmed / bmed:.3f}' if bmed and pmed is not None else 'n/a'
        bmin, pmin = min(base.get(m, [0])), min(patched.get(m, [0]))
        rmin = f'{pmin / bmin:.3f}' if bmin and m in patched else 'n/a'
        print(f'| {m} | {ubase.get(m, upatched.get(m))} | {b} | {p} | {ratio} | {rmin} '
              f'| {boot_spread(bboots.get(m, {}))} | {boot_spread(pboots.get(m, {}))} |')


if __name__ == '__main__':
    main()
