#!/usr/bin/env python3
"""Reference values for Sources/GatewatchCore/Statistics/SampleSize.swift.

- two proportions: statsmodels' `samplesize_proportions_2indep_onetail` (arm 1 at prop2 + diff, ratio = nobs2/nobs1);
- two means: statsmodels' `normal_sample_size_one_tail` with std_null = std_alternative = sd·√(1 + 1/ratio), and the
  same number from `NormalIndPower().solve_power`, which also counts the far tail, to show how close the one-tail
  shortcut is (the `far_tail` field; not compared to 1e-9).

Run: python3 Tests/Reference/sample_size.py > Tests/Reference/sample_size.json   (statsmodels 0.15, scipy 1.17.1)
"""
import json
import math
import sys

import scipy
import statsmodels
from statsmodels.stats.power import NormalIndPower, normal_sample_size_one_tail
from statsmodels.stats.proportion import samplesize_proportions_2indep_onetail


def proportions(diff, prop2, power, ratio, alpha, alternative):
    n = samplesize_proportions_2indep_onetail(diff, prop2, power, ratio=ratio, alpha=alpha, alternative=alternative)
    return {"diff": diff, "baseline": prop2, "power": power, "ratio": ratio, "alpha": alpha,
            "two_sided": alternative == "two-sided", "n1": repr(float(n))}


def means(diff, sd, power, ratio, alpha):
    s = sd * math.sqrt(1 + 1 / ratio)
    n = normal_sample_size_one_tail(diff, power, alpha / 2, std_null=s, std_alternative=s)
    far = NormalIndPower().solve_power(effect_size=diff / sd, alpha=alpha, power=power, ratio=ratio, alternative="two-sided")
    return {"diff": diff, "sd": sd, "power": power, "ratio": ratio, "alpha": alpha, "n1": repr(float(n)),
            "far_tail": repr(float(far))}


def main():
    cases = [
        proportions(0.005, 0.02, 0.8, 1, 0.05, "two-sided"),
        proportions(0.005, 0.02, 0.8, 4, 0.05, "two-sided"),
        proportions(-0.03, 0.62, 0.9, 1, 0.05, "two-sided"),
        proportions(0.01, 0.001, 0.8, 0.25, 0.01, "two-sided"),
        proportions(0.002, 0.0, 0.8, 1, 0.05, "two-sided"),
        proportions(0.05, 0.5, 0.95, 2.5, 0.1, "larger"),
        proportions(-0.1, 0.3, 0.5, 1, 0.05, "two-sided"),
    ]
    mean_cases = [means(0.02, 0.2, 0.8, 1, 0.05), means(-0.01, 0.15, 0.9, 4, 0.01), means(0.2, 0.3, 0.8, 1, 0.05)]
    json.dump({"statsmodels": statsmodels.__version__, "scipy": scipy.__version__, "proportions": cases,
               "means": mean_cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
