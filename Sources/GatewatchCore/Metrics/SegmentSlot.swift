/// A segment as a `MetricSeriesSet` files it (`MetricSeriesSet.slot(_:)`): "any segment", one segment of the data,
/// or a segment the data does not have. Resolved once, it makes the many queries of one segment (a rule evaluated
/// at every minute of its look-back) skip hashing the segment's name.
public struct SegmentSlot: Hashable, Sendable {
    let raw: Int

    /// Every segment together.
    public static let any = SegmentSlot(raw: 0)
}
