import GatewatchCore

/// How the segment table is ordered; `s` cycles through them.
public enum SegmentSort: String, ListSort {
    case worstFalsePositives = "worst FPR Δ"
    case worstPrecision = "worst precision Δ"
    case smallestQ = "most significant"
    case name = "name"

    /// Sorts segment rows (the overall row is kept apart by the caller). Each row's key is computed once and the
    /// positions are sorted, not the (large) rows: this runs on every frame.
    public func sorted(_ rows: [SegmentComparison]) -> [SegmentComparison] {
        func delta(_ r: SegmentComparison, _ m: QualityMetric) -> Double { r.metrics[m]?.estimate.delta ?? 0 }
        let names = rows.map { $0.segment ?? "" }
        var keys: [Double]
        switch self {
        case .name: keys = []
        // Worst first: the largest rise in false positives.
        case .worstFalsePositives: keys = rows.map { -delta($0, .falsePositiveRate) }
        case .worstPrecision: keys = rows.map { delta($0, .precision) }
        case .smallestQ: keys = rows.map { r in r.metrics.values.compactMap { $0.sequential?.adjustedP }.min() ?? 1 }
        }
        keys = keys.map { $0.isNaN ? .infinity : $0 }  // rows without a number last, in a consistent order
        let order = rows.indices.sorted { a, b in
            if !keys.isEmpty, keys[a] != keys[b] { return keys[a] < keys[b] }
            return names[a] < names[b]
        }
        return order.map { rows[$0] }
    }
}
