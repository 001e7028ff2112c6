/// The range of durations Gatewatch accepts, and the reading of a duration against a range.
extension DurationText {
    /// The longest duration any option or file accepts: 3650 days. Added to any time from 1970 to 2200 it stays far
    /// inside 64 bits.
    public static let maximumSeconds: Int64 = 3650 * 86_400

    /// Why a text is not an acceptable duration.
    public enum Problem: Error, Equatable, Sendable {
        /// Not written as a duration at all (`soon`, `5x`, `-1m`).
        case notADuration
        /// A duration, but outside the range (also one too long for 64 bits).
        case outOfRange(ClosedRange<Int64>)

        /// `from 1m to 4h` for an out-of-range problem; empty otherwise.
        public var rangeText: String {
            guard case .outOfRange(let range) = self else { return "" }
            return "from \(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
        }
    }

    /// The seconds of `text` when it is a duration within `range`, else why not.
    public static func check(_ text: String, range: ClosedRange<Int64> = 0...maximumSeconds) -> Result<Int64, Problem> {
        guard let seconds = unbounded(text) else {
            // Digits and units that overflow 64 bits are a duration, only far too long.
            return looksLikeDuration(text) ? .failure(.outOfRange(range)) : .failure(.notADuration)
        }
        return range.contains(seconds) ? .success(seconds) : .failure(.outOfRange(range))
    }

    /// True when `text` is made of digits and units only (whatever its size), as a duration is written.
    public static func looksLikeDuration(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace()
        guard let first = trimmed.first, first.isASCII, first.isNumber else { return false }
        return trimmed.allSatisfy { ($0.isASCII && $0.isNumber) || "smhdw".contains($0) }
    }
}
