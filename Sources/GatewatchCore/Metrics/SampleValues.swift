/// A column of sample values, four bytes each while every value is exactly a `Float`, eight from the first that is not.
///
/// Counters and their running totals are whole numbers, exact in a `Float` up to 2²⁴ (16.7 million), which a series
/// of one segment and one arm rarely passes; the first value that does not fit converts the column to `Double`,
/// so nothing is ever rounded.
struct SampleValues: Sendable {
    private var narrow: [Float] = []
    private var wide: [Double]?

    init() {}

    var count: Int { wide?.count ?? narrow.count }
    var isEmpty: Bool { count == 0 }
    var last: Double? { count == 0 ? nil : self[count - 1] }

    subscript(index: Int) -> Double {
        get { wide?[index] ?? Double(narrow[index]) }
        set {
            if wide != nil { wide![index] = newValue; return }
            if let f = Self.exactFloat(newValue) { narrow[index] = f; return }
            widen()
            wide![index] = newValue
        }
    }

    mutating func append(_ value: Double) {
        if wide != nil { wide!.append(value); return }
        if let f = Self.exactFloat(value) { narrow.append(f); return }
        widen()
        wide!.append(value)
    }

    mutating func reserveCapacity(_ n: Int) {
        if wide != nil { wide!.reserveCapacity(n) } else { narrow.reserveCapacity(n) }
    }

    var capacity: Int { wide?.capacity ?? narrow.capacity }

    /// Whether values are stored as `Double`.
    var isWide: Bool { wide != nil }

    /// Bytes held (for memory reports and tests).
    var byteCount: Int { wide.map { $0.capacity * 8 } ?? narrow.capacity * 4 }

    func keeping<S: Sequence>(_ indices: S) -> SampleValues where S.Element == Int {
        var kept = SampleValues()
        for i in indices { kept.append(self[i]) }
        return kept
    }

    mutating func removeSuffix(from index: Int) {
        guard index < count else { return }
        if wide != nil { wide!.removeSubrange(index...) } else { narrow.removeSubrange(index...) }
    }

    private mutating func widen() {
        var doubles = [Double]()
        doubles.reserveCapacity(Swift.max(narrow.capacity, narrow.count + 1))
        for f in narrow { doubles.append(Double(f)) }
        wide = doubles
        narrow = []
    }

    /// `value` as a `Float` when that loses nothing (NaN stays NaN; its payload is not kept).
    private static func exactFloat(_ value: Double) -> Float? {
        if value.isNaN { return .nan }
        let f = Float(value)
        return Double(f) == value ? f : nil
    }
}
