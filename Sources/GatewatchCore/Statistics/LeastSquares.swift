/// Ordinary least squares on (x, y) points.
public enum LeastSquares {
    /// The slope of the least-squares line, Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² (as `scipy.stats.linregress`); nil with fewer
    /// than two distinct x or a non-finite value.
    public static func slope(_ points: [(x: Double, y: Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.x } / n, meanY = points.reduce(0) { $0 + $1.y } / n
        var sxy = 0.0, sxx = 0.0
        for p in points {
            sxy += (p.x - meanX) * (p.y - meanY)
            sxx += (p.x - meanX) * (p.x - meanX)
        }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        return slope.isFinite ? slope : nil
    }
}
