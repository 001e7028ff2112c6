import Testing
@testable import GatewatchCore

/// Prometheus `histogram_quantile` semantics (promql/quantile.go, bucketQuantile), cases computed by hand.
@Suite struct HistogramQuantileTests {
    typealias Buckets = [(upperBound: Double, count: Double)]
    let buckets: Buckets = [(0.1, 10), (0.5, 30), (1, 40), (.infinity, 40)]

    func q(_ q: Double, _ b: Buckets) -> Double { HistogramQuantile.quantile(q, buckets: b) }

    @Test func interpolatesInsideTheBucketHoldingTheRank() {
        // rank 20 → bucket (0.1, 0.5] holding 20 after 10 → 0.1 + 0.4·(10/20)
        #expect(abs(q(0.5, buckets) - 0.3) < 1e-12)
        // rank 10 → first bucket, from 0: 0.1·(10/10)
        #expect(abs(q(0.25, buckets) - 0.1) < 1e-12)
        // rank 4 → 0.1·(4/10)
        #expect(abs(q(0.1, buckets) - 0.04) < 1e-12)
        // rank 36 → (0.5, 1] holding 10 after 30 → 0.5 + 0.5·0.6
        #expect(abs(q(0.9, buckets) - 0.8) < 1e-12)
        // rank 40 → the upper bound of the last finite bucket
        #expect(abs(q(1, buckets) - 1.0) < 1e-12)
    }

    @Test func rankInTheInfBucketReturnsTheSecondHighestBound() {
        let b: Buckets = [(0.1, 10), (0.5, 30), (1, 40), (.infinity, 50)]
        #expect(q(0.9, b) == 1)  // rank 45 > 40
        #expect(q(0.99, b) == 1)
        #expect(q(1, b) == 1)
        // but a rank that still fits a finite bucket interpolates
        #expect(abs(q(0.7, b) - 0.75) < 1e-12)  // rank 35 → 0.5 + 0.5·(5/10)
    }

    @Test func orderOfBucketsDoesNotMatter() {
        let permutations: [Buckets] = [
            [(.infinity, 40), (1, 40), (0.5, 30), (0.1, 10)],
            [(0.5, 30), (.infinity, 40), (0.1, 10), (1, 40)],
            [(1, 40), (0.1, 10), (.infinity, 40), (0.5, 30)],
        ]
        for p in permutations {
            for quantile in [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1] {
                #expect(q(quantile, p) == q(quantile, buckets), "q=\(quantile)")
            }
        }
    }

    @Test func nonMonotonicCountsAreRaisedToTheRunningMaximum() {
        // 8 < 10 is scrape skew: counts become [10, 10, 20, 20].
        let skewed: Buckets = [(0.1, 10), (0.5, 8), (1, 20), (.infinity, 20)]
        // rank 15 → (0.5, 1] holding 10 after 10 → 0.75 (without the fix it would be 0.5 + 0.5·7/12)
        #expect(abs(q(0.75, skewed) - 0.75) < 1e-12)
        // rank 10 → first bucket
        #expect(abs(q(0.5, skewed) - 0.1) < 1e-12)
        // a +Inf count below a finite bucket's is raised too: total becomes 30
        let lowInf: Buckets = [(0.1, 10), (0.5, 30), (.infinity, 25)]
        #expect(abs(q(0.5, lowInf) - 0.2) < 1e-12)  // rank 15 → 0.1 + 0.4·(5/20)
    }

    @Test func degenerateInputsFollowPrometheus() {
        #expect(q(0.5, [(0.1, 0), (1, 0), (.infinity, 0)]).isNaN)  // no observations
        #expect(q(0.5, [(0.1, 10), (1, 20)]).isNaN)  // no +Inf bucket
        #expect(q(0.5, [(.infinity, 20)]).isNaN)  // fewer than two buckets
        #expect(q(0.5, []).isNaN)
        #expect(q(.nan, buckets).isNaN)
        #expect(q(-0.1, buckets) == -.infinity)
        #expect(q(1.1, buckets) == .infinity)
        #expect(q(-0.1, []) == -.infinity)
        #expect(q(2, []) == .infinity)
    }

    @Test func firstBucketWithANonPositiveBoundReturnsThatBound() {
        let b: Buckets = [(-1, 5), (0, 10), (1, 20), (.infinity, 20)]
        #expect(q(0.2, b) == -1)  // rank 4 in the first bucket, whose bound is ≤ 0
        #expect(abs(q(0.75, b) - 0.5) < 1e-12)  // rank 15 → 0 + 1·(5/10)
    }

    /// Properties over pseudo-random histograms: non-decreasing in q, and inside [0, highest finite bound].
    @Test func monotoneInQAndBounded() {
        var x: UInt64 = 99
        func next() -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return x >> 33 }
        for _ in 0..<200 {
            let bounds = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5]
            var cumulative = 0.0
            var b: Buckets = []
            for bound in bounds { cumulative += Double(next() % 50); b.append((bound, cumulative)) }
            cumulative += Double(next() % 5)
            b.append((.infinity, cumulative))
            guard cumulative > 0 else { continue }
            var previous = -Double.infinity
            for step in 0...100 {
                let value = q(Double(step) / 100, b)
                if value.isNaN { continue }  // q=0 with an empty first bucket is 0/0, as in Prometheus
                #expect(value >= previous - 1e-12)
                #expect(value >= 0 && value <= 2.5)
                previous = value
            }
        }
    }
}
