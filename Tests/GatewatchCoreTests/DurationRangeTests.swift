import Foundation
import Testing
@testable import GatewatchCore

/// Durations at the edges of 64 bits and beyond the longest one any option or file accepts (3650 days): nil or a
/// range problem, never a value that overflows when added to a time.
@Suite struct DurationRangeTests {
    @Test func durationsBeyondTheLimitAreNotDurations() {
        #expect(DurationText.parse("106751991167300d") == nil)
        #expect(DurationText.parse("9223372036854775807s") == nil)
        #expect(DurationText.parse("9223372036854775807") == nil)
        #expect(DurationText.parse("99999999999999999999d") == nil)
        #expect(DurationText.parse("15250284452w") == nil)
        #expect(DurationText.parse("3651d") == nil)
    }

    @Test func durationsUpToTheLimitParseAsBefore() {
        #expect(DurationText.parse("3650d") == 315_360_000)
        #expect(DurationText.parse("1h30m") == 5400)
        #expect(DurationText.parse("90") == 90)
        #expect(DurationText.parse("0s") == 0)
        #expect(DurationText.maximumSeconds == 315_360_000)
    }

    @Test func checkTellsANonDurationFromOneOutOfRange() {
        #expect(DurationText.check("2h") == .success(7200))
        #expect(DurationText.check("soon") == .failure(.notADuration))
        #expect(DurationText.check("106751991167300d") == .failure(.outOfRange(0...DurationText.maximumSeconds)))
        #expect(DurationText.check("9223372036854775807s") == .failure(.outOfRange(0...DurationText.maximumSeconds)))
        #expect(DurationText.check("99999999999999999999d") == .failure(.outOfRange(0...DurationText.maximumSeconds)))
        #expect(DurationText.check("30s", range: 60...14_400) == .failure(.outOfRange(60...14_400)))
        #expect(DurationText.check("4h", range: 60...14_400) == .success(14_400))
    }

    @Test func rangesReadAsDurations() {
        #expect(DurationText.Problem.outOfRange(0...DurationText.maximumSeconds).rangeText == "from 0s to 3650d")
        #expect(DurationText.Problem.outOfRange(60...14_400).rangeText == "from 1m to 4h")
    }

    struct Holder: Decodable { var d: FlexibleDuration }

    /// JSON's decoder: FlexibleDuration reads a number or a text from any decoder.
    func decode(_ json: String) throws -> Holder { try JSONDecoder().decode(Holder.self, from: Data(json.utf8)) }

    @Test func aSpecDurationBeyondTheLimitIsRefused() throws {
        #expect(throws: DecodingError.self) { try decode(#"{"d": "106751991167300d"}"#) }
        #expect(throws: DecodingError.self) { try decode(#"{"d": 9223372036854775807}"#) }
        #expect(try decode(#"{"d": "2h"}"#).d.seconds == 7200)
    }
}
