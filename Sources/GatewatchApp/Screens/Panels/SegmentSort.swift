import GatewatchCore

/// How the segment table is ordered; `s` cycles through them.
public enum SegmentSort: String, CaseIterable, Sendable {
    case worstFalsePositives = "worst FPR Δ"
    case worstPrecision = "worst precision Δ"
    case smallestQ = "smallest q"
    case name = "name"

    public var next: SegmentSort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// Sorts segment rows (the overall row is kept apart by the caller).
    public func sorted(_ rows: [SegmentComparison]) -> [SegmentComparison] {
        func delta(_ r: SegmentComparison, _ m: QualityMetric) -> Double { r.metrics[m]?.estimate.delta ?? 0 }
        func q(_ r: SegmentComparison) -> Double {
            r.metrics.values.compactMap(\.qValue).min() ?? 1
        }
        let name = { (r: SegmentComparison) in r.segment ?? "" }
        switch self {
        case .name: return rows.sorted { name($0) < name($1) }
        case .worstFalsePositives:
            return rows.sorted { (delta($0, .falsePositiveRate), name($1)) > (delta($1, .falsePositiveRate), name($0)) }
        case .worstPrecision:
            return rows.sorted { (delta($0, .precision), name($0)) < (delta($1, .precision), name($1)) }
        case .smallestQ: return rows.sorted { (q($0), name($0)) < (q($1), name($1)) }
        }
    }
}
