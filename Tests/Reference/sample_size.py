#!/usr/bin/env python3
"""Reference values for Sources/GatewatchCore/Statistics/SampleSize.swift.

- two proportions: statsmodels' `samplesize_proportions_2indep_onetail` (arm 1 at prop2 + diff, ratio = nobs2/nobs1);
- two means: statsmodels' `normal_sample_size_one_tail` with std_null = std_alternative = sd·√(1 + 1/ratio), and the
  same number from `NormalIndPower().solve_power`, which also counts the far tail, to show how close the one-tail
  shortcut is (the `far_tail` field; not compared to 1e-9);
- the growth of a confidence sequence: the k with radius(variance / k) = margin, by scipy's brentq on the closed form
  of the normal-mixture radius (Tests/Reference/confidence_sequence.py checks that closed form against the mixture).

Run: python3 Tests/Reference/sample_size.py > Tests/Reference/sample_size.json   (statsmodels 0.15, scipy 1.17.1)
"""
import json
import math
import sys

import scipy
import statsmodels
from scipy import optimize
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


def radius(v, tau, alpha):
    t2 = tau * tau
    return math.sqrt(v * (v + t2) / t2 * (math.log((v + t2) / v) - 2 * math.log(alpha)))


def growth(variance, tau, alpha, margin):
    if radius(variance, tau, alpha) <= margin:
        k = 1.0
    else:
        k = math.exp(optimize.brentq(lambda lk: radius(variance / math.exp(lk), tau, alpha) - margin, 0, math.log(1e9),
                                     xtol=1e-15, rtol=4 * sys.float_info.epsilon, maxiter=500))
    return {"variance": variance, "tau": tau, "alpha": alpha, "margin": margin, "k": repr(k)}


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
    growth_cases = [growth(1e-4, 0.01, 0.05 / 49, 0.01), growth(4e-6, 0.005, 0.05 / 49, 0.001),
                    growth(1e-6, 0.01, 0.05, 0.01), growth(2.5e-3, 0.08, 0.05 / 35, 0.02)]
    json.dump({"statsmodels": statsmodels.__version__, "scipy": scipy.__version__, "proportions": cases,
               "means": mean_cases, "growth": growth_cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
