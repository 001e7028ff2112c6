import Testing
@testable import GatewatchCore

/// Expected calibration error.
@Suite struct CalibrationTests {
    @Test func weightedGap() throws {
        let bins = [
            CalibrationBin(count: 10, positives: 2, meanScore: 0.15),
            CalibrationBin(count: 20, positives: 12, meanScore: 0.55),
            CalibrationBin(count: 0, positives: 0, meanScore: 0.65),
            CalibrationBin(count: 10, positives: 9, meanScore: 0.8),
        ]
        // (10/40)·0.05 + (20/40)·0.05 + (10/40)·0.1
        let ece = try #require(Calibration.expectedCalibrationError(bins))
        #expect(abs(ece - 0.0625) < 1e-12)
    }

    @Test func perfectCalibrationIsZero() throws {
        let bins = [CalibrationBin(count: 4, positives: 1, meanScore: 0.25), CalibrationBin(count: 2, positives: 1, meanScore: 0.5)]
        let ece = try #require(Calibration.expectedCalibrationError(bins))
        #expect(ece == 0)
    }

    @Test func emptyOrInvalid() throws {
        #expect(Calibration.expectedCalibrationError([]) == nil)
        #expect(Calibration.expectedCalibrationError([CalibrationBin(count: 0, positives: 0, meanScore: 0.5)]) == nil)
        #expect(Calibration.expectedCalibrationError([CalibrationBin(count: .nan, positives: 1, meanScore: 0.5)]) == nil)
        let mixed = try #require(Calibration.expectedCalibrationError([
            CalibrationBin(count: -3, positives: 1, meanScore: 0.5),
            CalibrationBin(count: 10, positives: .nan, meanScore: 0.2),
        ]))
        #expect(abs(mixed - 0.2) < 1e-12)
    }
}
