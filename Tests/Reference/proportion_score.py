#!/usr/bin/env python3
"""Reference values for the fixed-horizon difference of two rates (Sources/GatewatchCore/Statistics/ProportionTest.swift).

The interval is the score test inverted: every δ = p_challenger − p_champion whose score statistic
(p̂B − p̂A − δ)/√(p̃B(1−p̃B)/nB + p̃A(1−p̃A)/nA) lies within ±1.959964, p̃ being the rates' maximum likelihood under the
constraint pB − pA = δ. Computed here without the Swift code's closed form: the constrained likelihood is maximised
numerically (scipy.optimize.minimize_scalar, bounded, then polished) and each end is found with scipy.optimize.brentq.

statsmodels 0.15 is not used for δ ≠ 0: its Miettinen–Nurminen cubic has `count0` where `nobs0` belongs in the
linear coefficient (statsmodels issue #10269, open), so its constrained MLE does not maximise the likelihood (0.6557
instead of 0.6553 for 150/1000 vs 120/1000 at δ = 0.02), and `confint_proportions_2indep(method="score")` fails to
bracket on these inputs. At δ = 0 its statistic is the pooled z, and the script checks that it agrees.

Run: python3 Tests/Reference/proportion_score.py > Tests/Reference/proportion_score.json   (scipy 1.17.1, statsmodels 0.15)
"""
import json
import math
import sys
import warnings

import numpy as np
import scipy
import statsmodels
from scipy import optimize, stats
from statsmodels.stats.proportion import test_proportions_2indep

warnings.simplefilter("ignore")
CRIT = stats.norm.ppf(0.975)

FIXED = [
    # (champion successes, champion total, challenger successes, challenger total)
    (120, 1000, 150, 1000),      # FACTS: pooled z 1.963050, p 0.0496404
    (0, 11691, 0, 2805),         # Wald: [0, 0]
    (0, 15, 1, 15),
    (0, 15, 0, 40),
    (15, 15, 40, 40),            # every decision a success in both arms
    (3, 20, 9, 22),              # Wald excludes 0 while p = 0.063
    (1, 5000, 9, 1200),
    (4980, 5000, 1180, 1200),
    (310, 41000, 96, 10300),
    (52, 900, 75, 905),
    (0, 30, 30, 30),             # the largest possible difference
]


def loglik(pa, pb, a, na, b, nb):
    def term(k, n, p):
        out = 0.0
        if k > 0:
            out += k * math.log(p) if p > 0 else -math.inf
        if n - k > 0:
            out += (n - k) * math.log1p(-p) if p < 1 else -math.inf
        return out
    return term(a, na, pa) + term(b, nb, pb)


def restricted(a, na, b, nb, delta):
    """argmax over pA of the likelihood with pB = pA + δ, pA in [max(0, −δ), min(1, 1 − δ)]: the root of the
    likelihood's derivative (it falls as pA grows: the log-likelihood is concave) by brentq, or an end of the range."""
    lo, hi = max(0.0, -delta), min(1.0, 1.0 - delta)

    def g(pa):
        pb = pa + delta
        out = 0.0
        if a > 0: out += a / pa if pa > 0 else math.inf
        if na - a > 0: out -= (na - a) / (1 - pa) if pa < 1 else math.inf
        if b > 0: out += b / pb if pb > 0 else math.inf
        if nb - b > 0: out -= (nb - b) / (1 - pb) if pb < 1 else math.inf
        return out

    f = lambda pa: -loglik(pa, pa + delta, a, na, b, nb)
    if hi <= lo:
        return lo, lo + delta
    eps = 1e-300
    left, right = lo + max(eps, (hi - lo) * 1e-15), hi - max(eps, (hi - lo) * 1e-15)
    gl, gr = g(left), g(right)
    if gl <= 0:
        pa = min([lo, left], key=f)
    elif gr >= 0:
        pa = min([hi, right], key=f)
    else:
        pa = optimize.brentq(g, left, right, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=1000)
    return pa, pa + delta


def z(a, na, b, nb, delta):
    pa_hat, pb_hat = a / na, b / nb
    pa, pb = restricted(a, na, b, nb, delta)
    var = pb * (1 - pb) / nb + pa * (1 - pa) / na
    num = pb_hat - pa_hat - delta
    if var <= 0:
        return 0.0 if num == 0 else math.copysign(math.inf, num)
    return num / math.sqrt(var)


def end(a, na, b, nb, target, lo, hi):
    f = lambda d: z(a, na, b, nb, d) - target
    if f(lo) <= 0:
        return lo
    if f(hi) >= 0:
        return hi
    # brentq needs finite values: move in from an infinite end
    while not math.isfinite(f(lo)):
        lo = lo + (hi - lo) * 1e-6 if lo < hi else lo
        if not math.isfinite(f(lo)):
            lo = (lo + hi) / 2 if abs(hi - lo) < 1e-3 else lo + 1e-9
    while not math.isfinite(f(hi)):
        hi = hi - (hi - lo) * 1e-6
    return optimize.brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500)


def case(a, na, b, nb):
    d = b / nb - a / na
    # At δ = 0 the score statistic is statsmodels' (the pooled z), and the constrained MLE is the pooled rate.
    ours = z(a, na, b, nb, 0.0)
    theirs = float(test_proportions_2indep(b, nb, a, na, value=0, method="score", compare="diff", correction=False).statistic)
    if math.isfinite(theirs):
        assert abs(ours - theirs) <= 1e-7 * max(1, abs(theirs)), (a, na, b, nb, ours, theirs)
    low = -1.0 if d <= -1 else end(a, na, b, nb, CRIT, -1.0, d)
    high = 1.0 if d >= 1 else end(a, na, b, nb, -CRIT, d, 1.0)
    pooled = (a + b) / (na + nb)
    v = pooled * (1 - pooled) * (1 / na + 1 / nb)
    zp = d / math.sqrt(v) if v > 0 else 0.0
    return {"successes_a": a, "total_a": na, "successes_b": b, "total_b": nb, "z": repr(zp),
            "p": repr(float(2 * stats.norm.sf(abs(zp)))), "ci_low": repr(float(low)), "ci_high": repr(float(high))}


def main():
    rng = np.random.default_rng(18)
    cases = [case(*c) for c in FIXED]
    for _ in range(50):
        na, nb = int(rng.integers(5, 20000)), int(rng.integers(5, 20000))
        rate = float(rng.choice([0.001, 0.01, 0.05, 0.2, 0.5]))
        a = int(rng.binomial(na, rate))
        b = int(rng.binomial(nb, min(0.99, rate * float(rng.choice([0.8, 1.0, 1.25, 1.5])))))
        cases.append(case(a, na, b, nb))
    json.dump({"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "cases": cases}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
