/// Multiple-comparison adjustments of p-values.
///
/// Inputs are clamped into [0, 1] first; NaN inputs stay NaN and are not counted in m.
public enum MultipleTesting {
    /// Benjamini–Hochberg adjusted q-values in the input order: q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j).
    /// Monotone in p, ≥ p, ≤ 1. FACTS: [.001,.008,.039,.041,.042,.060,.074,.205] → [.008,.032,.0672,.0672,.0672,.08,.084571,.205].
    public static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        let (order, sorted) = sortedFinite(pValues)
        let m = Double(sorted.count)
        var result = pValues.map { $0.isNaN ? Double.nan : 0 }
        var running = 1.0
        for rank in stride(from: sorted.count - 1, through: 0, by: -1) {
            // m/j ≥ 1 computed first keeps q ≥ p under rounding.
            running = min(running, min(1, sorted[rank] * (m / Double(rank + 1))))
            result[order[rank]] = running
        }
        return result
    }

    /// Holm step-down adjusted p-values in the input order: p̃₍ᵢ₎ = max over j ≤ i of min(1, (m − j + 1)·p₍ⱼ₎).
    /// FACTS: the list above → [.008,.056,.234,.234,.234,.234,.234,.234].
    public static func holm(_ pValues: [Double]) -> [Double] {
        let (order, sorted) = sortedFinite(pValues)
        let m = Double(sorted.count)
        var result = pValues.map { $0.isNaN ? Double.nan : 0 }
        var running = 0.0
        for rank in sorted.indices {
            running = max(running, min(1, (m - Double(rank)) * sorted[rank]))
            result[order[rank]] = running
        }
        return result
    }

    /// Indices of the non-NaN inputs in ascending p order (stable) and their clamped values.
    private static func sortedFinite(_ pValues: [Double]) -> (order: [Int], sorted: [Double]) {
        let order = pValues.indices.filter { !pValues[$0].isNaN }
            .sorted { (pValues[$0], $0) < (pValues[$1], $1) }
        return (order, order.map { min(1, max(0, pValues[$0])) })
    }
}
