import Foundation

/// Distribution-drift measures between a reference and a current histogram over the same buckets.
///
/// All inputs are sanitised first: negative, NaN or infinite counts count as 0 and the shorter histogram is padded
/// with zeros. When either histogram is empty (all zero) there is nothing to compare: PSI 0, JS 0, KS d 0 and p 1.
public enum Drift {
    /// Population Stability Index Σ (cᵢ − rᵢ)·ln(cᵢ/rᵢ) over bucket shares (counts are normalised first). Empty shares
    /// follow Evidently 0.7's rule (`get_binned_data`): a bucket empty in both arms is left out; otherwise an empty
    /// share becomes that arm's smallest non-zero share ÷ 10⁶ when that share is at most 10⁻⁴, else 10⁻⁴. Never
    /// negative. Common reading: < 0.1 stable, 0.1–0.2 moderate, > 0.2 significant. Tested against Evidently itself
    /// (Tests/Reference/psi.py). FACTS: shares ref [.1,.2,.4,.2,.1,0] vs cur [.05,.15,.4,.25,.1,.05] → 0.3703076.
    public static func psi(reference: [Double], current: [Double]) -> Double {
        guard let (ref, cur) = shares(reference, current) else { return 0 }
        func floor(_ shares: [Double]) -> Double {
            let smallest = shares.filter { $0 > 0 }.min() ?? 1
            return smallest <= 1e-4 ? smallest / 1e6 : 1e-4
        }
        let refFloor = floor(ref), curFloor = floor(cur)
        var total = 0.0
        for (r, c) in zip(ref, cur) where r > 0 || c > 0 {
            let r = r == 0 ? refFloor : r, c = c == 0 ? curFloor : c
            total += (c - r) * log(c / r)
        }
        return max(0, total)
    }

    /// KS on histograms: D = max over bucket edges of |CDF_ref − CDF_cur|, with the p-value of the two-sided
    /// Kolmogorov distribution P(Dₙ ≥ D) for n = round(nRef·nCur/(nRef+nCur)), halves to even as in numpy (scipy
    /// `kstwo.sf`, see `KolmogorovDistribution`), read when it is shown. Binning makes D a lower bound of the
    /// raw-sample statistic, so the p-value is conservative.
    public static func ksHistogram(reference: [Double], current: [Double]) -> KSResult {
        let (ref, cur) = sanitized(reference, current)
        let nRef = ref.reduce(0, +), nCur = cur.reduce(0, +)
        guard nRef > 0, nCur > 0 else { return KSResult(d: 0, n: 0) }
        var cumRef = 0.0, cumCur = 0.0, d = 0.0
        for (r, c) in zip(ref, cur) {
            cumRef += r
            cumCur += c
            d = max(d, abs(cumRef / nRef - cumCur / nCur))
        }
        d = min(1, d)
        let effective = (nRef * nCur / (nRef + nCur)).rounded(.toNearestOrEven)  // numpy/Python round
        let n = effective >= Double(Int.max / 4) ? Int.max / 4 : max(1, Int(effective))
        return KSResult(d: d, n: n)
    }

    /// Jensen–Shannon distance (square root of the divergence, natural log) like
    /// `scipy.spatial.distance.jensenshannon`; between 0 and √ln 2. FACTS counts example → 0.0586155.
    public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
        guard let (p, q) = shares(p, q) else { return 0 }
        var divergence = 0.0
        for (a, b) in zip(p, q) {
            let m = (a + b) / 2
            if a > 0 { divergence += a * log(a / m) }
            if b > 0 { divergence += b * log(b / m) }
        }
        return (max(0, divergence) / 2).squareRoot()
    }

    /// Sanitised, zero-padded histograms of equal length.
    static func sanitized(_ a: [Double], _ b: [Double]) -> ([Double], [Double]) {
        let count = max(a.count, b.count)
        func clean(_ x: [Double]) -> [Double] {
            x.map { $0.isFinite && $0 > 0 ? $0 : 0 } + Array(repeating: 0, count: count - x.count)
        }
        return (clean(a), clean(b))
    }

    /// Sanitised shares, or nil when either histogram is empty.
    static func shares(_ a: [Double], _ b: [Double]) -> ([Double], [Double])? {
        let (a, b) = sanitized(a, b)
        let totalA = a.reduce(0, +), totalB = b.reduce(0, +)
        guard totalA > 0, totalB > 0, totalA.isFinite, totalB.isFinite else { return nil }
        return (a.map { $0 / totalA }, b.map { $0 / totalB })
    }
}
