import Foundation
import Testing
@testable import GatewatchCore

/// Score measures are `nil`, not numbers, when the histograms hold no information about the distributions.
@Suite struct ScoreInformationTests {
    static let bounds = ["0.1", "0.5", "0.9", "+Inf"]

    /// Cumulative bucket counters rising from 0 at minute 1 to `counts` (per bucket, not cumulative) at 60 minutes.
    static func data(champion: [Double], challenger: [Double]) -> MetricSeriesSet {
        var data = MetricSeriesSet()
        for (arm, counts) in [(Arm.champion, champion), (.challenger, challenger)] {
            var cumulative = 0.0
            for (bound, count) in zip(bounds, counts) {
                cumulative += count
                data.append([Sample(time: 60, value: 0), Sample(time: 3600, value: cumulative)],
                            to: SeriesKey(.scoreBucket, arm: arm, segment: "s", extra: bound))
            }
            data.append([Sample(time: 60, value: 0), Sample(time: 3600, value: cumulative)],
                        to: SeriesKey(.decisions, arm: arm, segment: "s", extra: "allow"))
        }
        return data
    }

    static func segment(champion: [Double], challenger: [Double]) -> SegmentComparison? {
        SegmentComparator().compare(metrics: DerivedMetrics(data(champion: champion, challenger: challenger)),
                                    segments: ["s"], from: 0, to: 3600).segments.first
    }

    @Test func everyDecisionInOneBucketGivesNoScoreMeasures() throws {
        let s = try #require(Self.segment(champion: [0, 500, 0, 0], challenger: [0, 300, 0, 0]))
        #expect(s.drift == nil)
        #expect(s.metrics[.meanScore] == nil)
        // The same counts spread over two buckets are a comparison.
        let spread = try #require(Self.segment(champion: [0, 500, 0, 0], challenger: [0, 250, 50, 0]))
        #expect(spread.drift != nil && spread.metrics[.meanScore] != nil)
    }

    @Test func anArmWithoutScoresGivesNoScoreMeasures() throws {
        let s = try #require(Self.segment(champion: [100, 300, 80, 20], challenger: [0, 0, 0, 0]))
        #expect(s.drift == nil)
        #expect(s.metrics[.meanScore] == nil)
    }

    @Test func aOneBucketLayoutIsNoInformation() {
        var a = ArmCounts(), b = ArmCounts()
        a.scoreBuckets = [400]; a.scoreBounds = [.infinity]
        b.scoreBuckets = [380]; b.scoreBounds = [.infinity]
        #expect(!ArmCounts.scoresComparable(a, b))
        b.scoreBuckets = [380, 0]; a.scoreBuckets = [0, 400]
        #expect(ArmCounts.scoresComparable(a, b))  // disjoint buckets: the strongest possible drift, not no information
    }

    @Test func calibrationOfAnArmWhoseScoresAreInOneBucketIsNil() {
        var a = ArmCounts()
        a.scoreBounds = [0.5, .infinity]
        a.outcomes = LabelCounts(tp: 300, fp: 600)
        a.scoreBuckets = [0, 900]
        #expect(a.coarseCalibrationError(blockThreshold: 0.5) == nil)
        a.scoreBuckets = [100, 800]
        #expect(a.coarseCalibrationError(blockThreshold: 0.5) != nil)
    }
}
