#!/usr/bin/env python3
"""Reference values for the Population Stability Index (Sources/GatewatchCore/Statistics/Drift.swift).

Computed by Evidently itself: `evidently.legacy.calculations.stattests.psi._psi` on samples made from each histogram
(one value per bucket label, repeated by its count), as a categorical column, so Evidently's own empty-bucket rule
(`get_binned_data`, feel_zeroes) applies to exactly the buckets Gatewatch reads.

Run: python3 Tests/Reference/psi.py > Tests/Reference/psi.json   (evidently 0.7.23, pandas 2.2, numpy)
"""
import json
import sys

import evidently
import numpy as np
import pandas as pd
from evidently.legacy.calculations.stattests.psi import _psi
from evidently.legacy.core import ColumnType

HISTOGRAMS = [
    # (reference counts, current counts)
    ([1, 2, 3, 0], [2, 2, 2, 2]),
    ([120, 340, 810, 1500, 2200, 2400, 1700, 600, 250, 80], [60, 200, 640, 1380, 2100, 2500, 1900, 800, 310, 110]),
    ([100000, 0, 3], [2, 2, 2]),                 # the reference's smallest share is below 10⁻⁴: floor = share ÷ 10⁶
    ([50000, 4, 0, 1], [0, 3, 3, 3]),            # both arms have empty buckets, different floors
    ([10, 0, 0, 10], [5, 0, 5, 10]),             # a bucket empty in both arms is left out
    ([1, 0], [0, 1]),                            # disjoint
    ([9999, 1], [10000, 0]),                     # the reference's smallest share is exactly 10⁻⁴
    ([3, 3, 3], [3, 3, 3]),                      # identical
    ([700, 200, 80, 15, 5, 0, 0, 0, 0, 0], [640, 230, 90, 25, 10, 3, 1, 1, 0, 0]),
]


def series(counts):
    return pd.Series(np.repeat(np.arange(len(counts)), np.array(counts, dtype=int)))


def main():
    rows = []
    for ref, cur in HISTOGRAMS:
        value, _ = _psi(series(ref), series(cur), ColumnType.Categorical, 0.1)
        rows.append({"reference": ref, "current": cur, "psi": repr(float(value))})
    json.dump({"evidently": evidently.__version__, "cases": rows}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
