extension Rect {
    /// Splits the rectangle along `axis` into exactly `constraints.count` parts that tile it (with `spacing`
    /// cells between neighbours), in order.
    ///
    /// Fixed, percent and minimum sizes are granted first; leftover space goes to `fill` and `minimum` parts by
    /// weight (to the last part when there are none). When requests exceed the space they are scaled down
    /// proportionally (spacing is dropped first when even it does not fit). Sizes are never negative.
    public func split(_ axis: Axis, _ constraints: [LayoutConstraint], spacing: Int = 0) -> [Rect] {
        let n = constraints.count
        guard n > 0 else { return [] }
        let total = axis == .horizontal ? width : height
        var gap = max(0, spacing)
        if gap * (n - 1) > total { gap = 0 }
        let available = total - gap * (n - 1)

        var sizes = constraints.map { c -> Int in
            switch c {
            case .fixed(let v), .minimum(let v): return max(0, v)
            case .percent(let p): return available * min(100, max(0, p)) / 100
            case .fill: return 0
            }
        }
        let requested = sizes.reduce(0, +)
        if requested > available {
            // Scale down proportionally, handing the rounding remainder out from the first part.
            var scaled = sizes.map { $0 * available / requested }
            var rest = available - scaled.reduce(0, +)
            var i = 0
            while rest > 0 {
                if sizes[i] > scaled[i] { scaled[i] += 1; rest -= 1 }
                i = (i + 1) % n
            }
            sizes = scaled
        } else if requested < available {
            var leftover = available - requested
            var weights = constraints.map { c -> Int in
                switch c {
                case .fill(let w): return max(0, w)
                case .minimum: return 1
                default: return 0
                }
            }
            if weights.allSatisfy({ $0 == 0 }) {
                // No weights: equal shares among fill parts, else everything to the last part.
                let fills = constraints.indices.filter { if case .fill = constraints[$0] { return true } else { return false } }
                if fills.isEmpty { weights[n - 1] = 1 } else { for i in fills { weights[i] = 1 } }
            }
            let weightSum = weights.reduce(0, +)
            var given = 0
            for i in 0..<n where weights[i] > 0 {
                let share = leftover * weights[i] / weightSum
                sizes[i] += share
                given += share
            }
            leftover -= given
            var i = 0
            while leftover > 0 {
                if weights[i] > 0 { sizes[i] += 1; leftover -= 1 }
                i = (i + 1) % n
            }
        }

        var rects: [Rect] = []
        var cursor = axis == .horizontal ? x : y
        for (i, size) in sizes.enumerated() {
            if axis == .horizontal {
                rects.append(Rect(x: cursor, y: y, width: size, height: height))
            } else {
                rects.append(Rect(x: x, y: cursor, width: width, height: size))
            }
            cursor += size + (i < n - 1 ? gap : 0)
        }
        return rects
    }
}
