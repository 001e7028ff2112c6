#!/usr/bin/env python3
"""Reference values for the Kolmogorov distribution (Sources/GatewatchCore/Statistics/KolmogorovDistribution.swift).

`scipy.stats.kstwo.sf(d, n)` on a grid that reaches every branch scipy takes (Simard & L'Ecuyer's choice):
Ruben–Gambino near both ends, the exact Durbin matrix (Marsaglia–Tsang–Wang), Pomeranz, twice the one-sided Smirnov
sum, Pelz–Good, and the far tail, for n from 1 to 10⁶. Each d is chosen from n·d² so that every size reaches
every regime; the values of d are written with repr() so Swift reads the same doubles.

Run: python3 Tests/Reference/kstwo.py > Tests/Reference/kstwo.json   (scipy 1.17.1, numpy)
"""
import json
import math

import numpy as np
import scipy
from scipy import stats

SIZES = [1, 2, 3, 5, 9, 20, 57, 100, 140, 141, 382, 500, 1000, 2795, 10_000, 50_000, 100_000, 100_001, 382_411, 1_000_000]
# n·d² values: below and above each switch (0.754693, 2.2, 4, 18, 370) and in the far tail.
NX2 = [0.05, 0.2, 0.5, 0.754, 0.76, 1.0, 1.5, 2.19, 2.21, 3.0, 3.99, 4.01, 6.0, 10.0, 17.9, 18.1, 40.0, 100.0, 300.0, 369.0]
EXTRA_D = [0.3, 0.49, 0.5, 0.51, 0.75, 0.9, 0.999]


def cases():
    for n in SIZES:
        ds = {min(0.9999, math.sqrt(v / n)) for v in NX2}
        # The two Ruben–Gambino ranges: n·d in (0.5, 1] and n·d ≥ n − 1.
        if n > 1:
            ds.update({0.75 / n, 1.0 / n, (n - 0.5) / n})
        ds.update(d for d in EXTRA_D if n * d > 0.5)
        for d in sorted(ds):
            yield n, float(d)


def main():
    rows = []
    for n, d in cases():
        p = float(stats.kstwo.sf(d, n))
        rows.append({"n": n, "d": repr(d), "sf": repr(p)})
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": rows}, fp=__import__("sys").stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
