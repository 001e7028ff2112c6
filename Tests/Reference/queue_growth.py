#!/usr/bin/env python3
"""Reference values for the review queue's growth (Sources/GatewatchCore/Statistics/LeastSquares.swift and
`DerivedMetrics.queueGrowth`): the least-squares slope of the depth samples in the last hour, by
`scipy.stats.linregress`, in depth per hour. Each case's samples are written out, so the test reads the same points.

Run: python3 Tests/Reference/queue_growth.py > Tests/Reference/queue_growth.json   (scipy 1.17.1, numpy)
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats

END = 7200  # the as-of time of every case; the window is [END − 3600, END]


def case(name, times, depths):
    times = np.asarray(times, dtype=np.int64)
    depths = np.asarray(depths, dtype=float)
    inside = (times >= END - 3600) & (times <= END)
    fit = stats.linregress(times[inside].astype(float), depths[inside])
    return {"name": name, "times": times.tolist(), "depths": [float(d) for d in depths],
            "growth_per_hour": repr(float(fit.slope * 3600))}


def main():
    rng = np.random.default_rng(20261203)
    minutes = np.arange(0, END + 1, 60)
    cases = [
        case("noisy growth", minutes, 800 + minutes * (150 / 3600) + rng.normal(0, 25, minutes.size).cumsum() * 0.3),
        case("draining with noise", minutes, 3000 - minutes * (90 / 3600) + rng.normal(0, 40, minutes.size)),
        # Flat at 500 but 900 at the hour's first sample: two points an hour apart read −400/h.
        case("spike where the window opens", minutes, np.where(minutes == END - 3600, 900.0, 500.0)),
    ]
    irregular = np.sort(rng.choice(np.arange(0, END + 1, 15), size=180, replace=False))
    irregular = np.unique(np.concatenate([[END - 3600, END], irregular]))
    cases.append(case("irregular scrapes", irregular, 1200 + irregular * (40 / 3600) + rng.normal(0, 10, irregular.size)))
    json.dump({"scipy": scipy.__version__, "end": END, "cases": cases}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
