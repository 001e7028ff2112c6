import Testing
@testable import GatewatchUI

@Suite struct LayoutTests {
    @Test func fixedFillPercent() {
        let r = Rect(x: 0, y: 0, width: 100, height: 10).split(.horizontal, [.fixed(20), .fill(1), .percent(25)])
        #expect(r == [Rect(x: 0, y: 0, width: 20, height: 10), Rect(x: 20, y: 0, width: 55, height: 10),
                      Rect(x: 75, y: 0, width: 25, height: 10)])
    }

    @Test func verticalWithSpacingAndWeights() {
        let r = Rect(x: 2, y: 1, width: 10, height: 11).split(.vertical, [.fixed(3), .fill(1), .fill(2)], spacing: 1)
        #expect(r.map(\.y) == [1, 5, 8])
        #expect(r.map(\.height) == [3, 2, 4])
        #expect(r.allSatisfy { $0.x == 2 && $0.width == 10 })
    }

    @Test func minimumTakesLeftoverAndTooSmallShrinks() {
        #expect(Rect(x: 0, y: 0, width: 20, height: 1).split(.horizontal, [.minimum(5), .fixed(3)]).map(\.width) == [17, 3])
        #expect(Rect(x: 0, y: 0, width: 10, height: 1).split(.horizontal, [.fixed(8), .fixed(8)]).map(\.width) == [5, 5])
        #expect(Rect(x: 0, y: 0, width: 10, height: 1).split(.horizontal, [.fixed(3), .fixed(3)]).map(\.width) == [3, 7])
        #expect(Rect(x: 0, y: 0, width: 0, height: 0).split(.vertical, [.fixed(3), .fill(1)]).map(\.height) == [0, 0])
        #expect(Rect(x: 0, y: 0, width: 5, height: 5).split(.vertical, []).isEmpty)
    }

    @Test func splitsAlwaysTileTheRect() {
        let sets: [[LayoutConstraint]] = [
            [.fill(1)], [.fixed(5), .fill(1)], [.percent(30), .percent(30), .percent(40)], [.minimum(10), .fill(3), .fixed(7)],
            [.fixed(50), .fixed(50), .fixed(1)], [.fill(0), .fill(0)], [.percent(150), .fixed(-3), .minimum(-1)],
            [.fixed(2), .percent(10), .minimum(4), .fill(2), .fill(1)],
        ]
        for axis in [Axis.horizontal, .vertical] {
            for length in 0...60 {
                for spacing in 0...2 {
                    for cs in sets {
                        let rect = axis == .horizontal ? Rect(x: 3, y: 4, width: length, height: 7)
                                                       : Rect(x: 3, y: 4, width: 7, height: length)
                        let parts = rect.split(axis, cs, spacing: spacing)
                        #expect(parts.count == cs.count)
                        let gap = spacing * (cs.count - 1) <= length ? spacing : 0
                        var cursor = axis == .horizontal ? rect.x : rect.y
                        for (i, p) in parts.enumerated() {
                            let (start, size, crossStart, crossSize) = axis == .horizontal
                                ? (p.x, p.width, p.y, p.height) : (p.y, p.height, p.x, p.width)
                            #expect(size >= 0)
                            #expect(start == cursor, "\(cs) \(length) part \(i)")
                            #expect(crossStart == (axis == .horizontal ? rect.y : rect.x) && crossSize == 7)
                            cursor = start + size + (i < cs.count - 1 ? gap : 0)
                        }
                        #expect(cursor == (axis == .horizontal ? rect.maxX : rect.maxY), "\(cs) length \(length) spacing \(spacing)")
                    }
                }
            }
        }
    }
}
