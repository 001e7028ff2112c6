#!/usr/bin/env python3
"""Reference values for Gatewatch's always-valid inference (Sources/GatewatchCore/Statistics/ConfidenceSequence.swift).

Independent of the closed forms the Swift code uses: the mixture likelihood ratio is integrated numerically with
scipy (Λ(θ₀) = ∫ φ(d; θ, s) φ(θ; θ₀, τ) dθ / φ(d; θ₀, s)) and the boundary of the confidence sequence is found by
root finding on Λ(θ₀) = 1/α. Proportion cases take the delta and its variance from the counts as the Swift code
defines them (Agresti–Caffo adjusted rates for the variance).

Run: python3 Tests/Reference/confidence_sequence.py > Tests/Reference/confidence_sequence.json
(scipy 1.17.1, numpy; any virtualenv with them).
"""
import json
import math

import numpy as np
import scipy
from scipy import integrate, optimize, stats


def log_lambda(d, var, tau, theta0=0.0):
    s = math.sqrt(var)

    def integrand(theta):
        # Ratio of the likelihoods of d under θ and under θ₀, weighted by the prior density at θ.
        return math.exp(stats.norm.logpdf(d, theta, s) - stats.norm.logpdf(d, theta0, s)) * stats.norm.pdf(theta, theta0, tau)

    centre = (d * tau * tau + theta0 * var) / (var + tau * tau)   # where the integrand peaks
    spread = math.sqrt(var * tau * tau / (var + tau * tau))
    lo, hi = centre - 40 * spread, centre + 40 * spread
    value, _ = integrate.quad(integrand, lo, hi, points=[centre], epsabs=0, epsrel=1e-13, limit=500)
    return math.log(value)


def radius(d, var, tau, alpha):
    target = math.log(1 / alpha)
    f = lambda theta0: log_lambda(d, var, tau, theta0) - target
    width = math.sqrt(var + tau * tau)
    hi = d + width
    while f(hi) < 0:
        hi = d + (hi - d) * 2
    return optimize.brentq(f, d, hi, xtol=1e-15, rtol=1e-14, maxiter=500) - d


def proportion_look(sA, nA, sB, nB):
    aA, aB = (sA + 1) / (nA + 2), (sB + 1) / (nB + 2)
    return sB / nB - sA / nA, aA * (1 - aA) / (nA + 2) + aB * (1 - aB) / (nB + 2)


def main():
    normal = []
    for d, var, tau, alpha in [(0.02, 1e-4, 0.01, 0.05), (0.0, 1e-4, 0.01, 0.05), (-0.015, 4e-5, 0.005, 0.01),
                               (0.003, 1e-6, 0.02, 0.05 / 36), (0.5, 0.04, 0.1, 0.05), (0.0001, 1e-8, 0.001, 0.001)]:
        ll = log_lambda(d, var, tau)
        normal.append({"delta": d, "variance": var, "tau": tau, "alpha": alpha,
                       "lambda": math.exp(ll), "radius": radius(d, var, tau, alpha)})
    proportions = []
    for sA, nA, sB, nB, tau, alpha in [(120, 1000, 150, 1000, 0.01, 0.05), (1200, 10000, 1500, 10000, 0.01, 0.05),
                                       (0, 11691, 0, 2805, 0.005, 0.05), (0, 15, 3, 15, 0.01, 0.05),
                                       (300, 2000, 420, 3000, 0.02, 0.05 / 63), (4980, 50000, 5210, 50000, 0.005, 0.05 / 16)]:
        d, var = proportion_look(sA, nA, sB, nB)
        ll = log_lambda(d, var, tau)
        proportions.append({"successes_a": sA, "total_a": nA, "successes_b": sB, "total_b": nB, "tau": tau, "alpha": alpha,
                            "delta": d, "variance": var, "lambda": math.exp(ll),
                            "p": min(1.0, math.exp(-ll)), "radius": radius(d, var, tau, alpha)})
    # Clopper–Pearson bounds of the A/A simulation's false-alarm share: Beta quantiles.
    beta = [{"p": p, "a": a, "b": b, "quantile": float(stats.beta.ppf(p, a, b))}
            for p, a, b in [(0.025, 3, 198), (0.975, 4, 197), (0.025, 1, 200), (0.975, 11, 190), (0.5, 0.5, 0.5)]]
    print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__, "normal": normal, "proportions": proportions,
                      "beta_quantiles": beta}, indent=1))


if __name__ == "__main__":
    main()
