import Foundation
import GatewatchCore

/// Parses OpenMetrics / Prometheus text exposition and maps the contract series (DESIGN.md §4) to samples per release.
///
/// Hand-written on purpose: no maintained Swift OpenMetrics parser exists in the machine's package set (the Swift
/// Prometheus client only *writes* the format), and the format's line grammar is small. Writing it here also lets every
/// error carry the 1-based line and column a user needs (`file:line:column`).
///
/// Accepted: `# HELP`, `# TYPE`, `# UNIT`, `# EOF` (optional, but nothing may follow it), other `#` comments (ignored),
/// blank lines, samples `name{label="v",…} value [timestamp] [# exemplar]` with label values escaped as `\\`, `\"`, `\n`,
/// values as decimal numbers or `NaN`, `+Inf`, `-Inf`, and timestamps in **seconds** (OpenMetrics; decimals allowed,
/// the fraction is dropped since the store keeps whole seconds).
///
/// Mapping: a sample whose name is a `MetricFamily` becomes a sample of `SeriesKey(family, arm:, segment:, extra:)` of the
/// release named by its `release` label. Per-arm families need `arm` (`champion`/`challenger`) and take `segment` if
/// present; families with an extra label (`action`, `le`, `outcome`) need it. Other labels (`job`, `instance`, …) are
/// ignored; the review-queue gauges ignore `arm` and `segment`. Samples of any other name are counted as skipped.
public struct OpenMetricsParser: Sendable {
    /// Whether every sample must carry a timestamp (import does: a sample without one has no place in history).
    public var requireTimestamps: Bool
    /// Samples dated after this (the clock plus the allowed skew) are refused at their line: a future-dated sample
    /// would otherwise look like the newest data (import sets it; nil accepts any time).
    public var notAfter: Timestamp?

    public init(requireTimestamps: Bool = true, notAfter: Timestamp? = nil) {
        self.requireTimestamps = requireTimestamps
        self.notAfter = notAfter
    }

    /// What a parse produced.
    public struct Result: Sendable, Equatable {
        /// Contract samples per release, each series sorted by time.
        public var releases: [String: [SeriesKey: [Sample]]] = [:]
        /// Samples of series outside the contract, by metric name.
        public var skipped: [String: Int] = [:]
        /// Whether the text ended with `# EOF`.
        public var sawEOF = false

        public var sampleCount: Int { releases.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }
        public var seriesCount: Int { releases.values.reduce(0) { $0 + $1.count } }
        public var skippedSampleCount: Int { skipped.values.reduce(0, +) }
    }

    /// A sample line as written, before mapping.
    public struct RawSample: Sendable, Equatable {
        public var name: String
        public var labels: [(name: String, value: String, column: Int)]
        public var value: Double
        /// Seconds since the epoch, as written (may have a fraction).
        public var timestamp: Double?
        public var line: Int
        public var column: Int

        public static func == (a: RawSample, b: RawSample) -> Bool {
            a.name == b.name && a.labels.map { [$0.name, $0.value] } == b.labels.map { [$0.name, $0.value] }
                && (a.value == b.value || (a.value.isNaN && b.value.isNaN)) && a.timestamp == b.timestamp && a.line == b.line
        }

        func label(_ name: String) -> (value: String, column: Int)? {
            labels.first { $0.name == name }.map { ($0.value, $0.column) }
        }
    }

    static let metricTypes: Set<String> = ["counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown", "untyped"]

    /// Parses `text`; `file` names it in errors.
    public func parse(_ text: String, file: String) throws -> Result {
        var result = Result()
        // Per series: samples with the line they came from, sorted and checked for duplicates at the end.
        var collected: [String: [SeriesKey: [(sample: Sample, line: Int)]]] = [:]
        try scan(text, file: file, eof: { result.sawEOF = true }) { raw in
            guard let family = MetricFamily(rawValue: raw.name) else {
                result.skipped[raw.name, default: 0] += 1
                return
            }
            let (release, key) = try Self.map(raw, family: family, file: file)
            guard let seconds = raw.timestamp else {
                // scan() already rejected a missing timestamp when they are required.
                return
            }
            if seconds < 0 {
                throw InputError(file: file, line: raw.line, column: raw.column,
                                 message: "\(raw.name) is dated \(NumberText.compact(seconds)), before 1970",
                                 hint: "OpenMetrics timestamps are seconds since 1970-01-01T00:00:00Z")
            }
            if let limit = notAfter, seconds > Double(limit) {
                let time = Timestamp(seconds.rounded(.down))
                throw InputError(file: file, line: raw.line, column: raw.column,
                                 message: "\(raw.name) is dated \(TimeText.iso(time)), \(DurationText.format(time - limit)) past the latest time accepted (\(TimeText.iso(limit)), the clock plus the allowed skew)",
                                 hint: "a sample from the future would hide newer data; check the exporter's clock and the timestamps' unit (seconds)")
            }
            collected[release, default: [:]][key, default: []].append((Sample(time: Timestamp(seconds.rounded(.down)), value: raw.value), raw.line))
        }
        for (release, series) in collected {
            var out: [SeriesKey: [Sample]] = [:]
            for (key, list) in series {
                let sorted = list.sorted { ($0.sample.time, $0.line) < ($1.sample.time, $1.line) }
                for i in sorted.indices.dropFirst() where sorted[i].sample.time == sorted[i - 1].sample.time {
                    let later = max(sorted[i].line, sorted[i - 1].line), earlier = min(sorted[i].line, sorted[i - 1].line)
                    throw InputError(file: file, line: later, column: 1,
                                     message: "second sample of \(Self.describe(key, release: release)) at time \(sorted[i].sample.time) (first on line \(earlier))",
                                     hint: "each series may have one sample per second; labels other than release, arm, segment and \(key.family.extraLabel ?? "the family's own") are ignored")
                }
                out[key] = sorted.map(\.sample)
            }
            result.releases[release] = out
        }
        return result
    }

    /// The line of `text` holding the sample of `key` of `release` at `time`, if any (for messages about a sample
    /// after the parse, such as one that contradicts the store).
    public func line(of key: SeriesKey, release: String, time: Timestamp, in text: String, file: String) -> Int? {
        guard let samples = try? rawSamples(text, file: file) else { return nil }
        return samples.first { raw in
            guard let seconds = raw.timestamp, Timestamp(seconds.rounded(.down)) == time,
                  let family = MetricFamily(rawValue: raw.name), family == key.family,
                  let mapped = try? Self.map(raw, family: family, file: file) else { return false }
            return mapped.0 == release && mapped.1 == key
        }?.line
    }

    /// Every sample of `text` as written, without mapping (for tools and tests).
    public func rawSamples(_ text: String, file: String) throws -> [RawSample] {
        var list: [RawSample] = []
        try scan(text, file: file, eof: {}) { list.append($0) }
        return list
    }

    /// A series as OpenMetrics names it: the family with the labels that identify it (`release`, then `arm`,
    /// `segment` and the family's extra label when set).
    public static func describe(_ key: SeriesKey, release: String) -> String {
        var labels = ["release=\"\(release)\""]
        if let arm = key.arm { labels.append("arm=\"\(arm.rawValue)\"") }
        if let segment = key.segment { labels.append("segment=\"\(segment)\"") }
        if let extra = key.extra, let name = key.family.extraLabel { labels.append("\(name)=\"\(extra)\"") }
        return "\(key.family.rawValue){\(labels.joined(separator: ","))}"
    }

    /// Maps a contract sample to its release and series key.
    static func map(_ raw: RawSample, family: MetricFamily, file: String) throws -> (String, SeriesKey) {
        func fail(_ column: Int, _ message: String, _ hint: String? = nil) -> InputError {
            InputError(file: file, line: raw.line, column: column, message: message, hint: hint)
        }
        guard let release = raw.label("release"), !release.value.isEmpty else {
            throw fail(raw.column, "\(raw.name) has no release label", "every contract series carries release=\"<slug>\" (DESIGN.md §4)")
        }
        var key = SeriesKey(family)
        if family.isPerArm {
            guard let arm = raw.label("arm") else {
                throw fail(raw.column, "\(raw.name) has no arm label", "arm=\"champion\" or arm=\"challenger\"")
            }
            guard let value = Arm(rawValue: arm.value) else {
                throw fail(arm.column, "unknown arm \"\(arm.value)\"", "arm=\"champion\" or arm=\"challenger\"")
            }
            key.arm = value
            if let segment = raw.label("segment"), !segment.value.isEmpty { key.segment = segment.value }
        }
        if let extraName = family.extraLabel {
            guard let extra = raw.label(extraName) else {
                throw fail(raw.column, "\(raw.name) has no \(extraName) label", "the contract gives \(raw.name) an \(extraName)=\"…\" label (DESIGN.md §4)")
            }
            switch family {
            case .decisions:
                guard DecisionAction(rawValue: extra.value) != nil else {
                    throw fail(extra.column, "unknown action \"\(extra.value)\"", DecisionAction.allCases.map(\.rawValue).joined(separator: ", "))
                }
                key.extra = extra.value
            case .labels:
                guard LabelOutcome(rawValue: extra.value) != nil else {
                    throw fail(extra.column, "unknown outcome \"\(extra.value)\"", LabelOutcome.allCases.map(\.rawValue).joined(separator: ", "))
                }
                key.extra = extra.value
            default:
                let text = extra.value
                if ["+Inf", "Inf", "inf", "+inf"].contains(text) {
                    key.extra = "+Inf"
                } else if let bound = Double(text), bound.isFinite {
                    key.extra = text
                } else {
                    throw fail(extra.column, "bucket bound le=\"\(text)\" is not a number", "use a number or \"+Inf\"")
                }
            }
        }
        return (release.value, key)
    }

    // MARK: Scanning

    private func scan(_ text: String, file: String, eof: () -> Void, sample: (RawSample) throws -> Void) throws {
        var sawEOF: Int? = nil
        var lineNumber = 0
        // Split on scalars, not Characters: "\r\n" is one Character.
        for substring in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var scalars = Array(substring)
            if scalars.last == "\r" { scalars.removeLast() }
            if scalars.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if let eofLine = sawEOF {
                throw InputError(file: file, line: lineNumber, column: 1, message: "text after # EOF (line \(eofLine))",
                                 hint: "# EOF must be the last line")
            }
            var cursor = LineCursor(scalars: scalars, line: lineNumber, file: file)
            if scalars[0] == "#" {
                if try cursor.comment() { sawEOF = lineNumber; eof() }
            } else {
                try sample(try cursor.sample(requireTimestamp: requireTimestamps))
            }
        }
    }
}

/// Reads one line; positions are 0-based indexes into the line's Unicode scalars, columns are 1-based.
private struct LineCursor {
    let scalars: [Unicode.Scalar]
    let line: Int
    let file: String
    var i = 0

    init(scalars: [Unicode.Scalar], line: Int, file: String) {
        self.scalars = scalars
        self.line = line
        self.file = file
    }

    var atEnd: Bool { i >= scalars.count }
    var current: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    func error(at index: Int, _ message: String, _ hint: String? = nil) -> InputError {
        InputError(file: file, line: line, column: index + 1, message: message, hint: hint)
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }

    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    mutating func skipBlanks() { while let c = current, Self.isBlank(c) { i += 1 } }

    /// A metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`), or nil with the cursor unmoved.
    mutating func metricName() -> String? {
        let start = i
        guard let first = current, Self.isNameStart(first) || first == ":" else { return nil }
        i += 1
        while let c = current, Self.isNameChar(c) || c == ":" { i += 1 }
        return String(String.UnicodeScalarView(scalars[start..<i]))
    }

    /// A label name (`[a-zA-Z_][a-zA-Z0-9_]*`), or nil with the cursor unmoved.
    mutating func labelName() -> String? {
        let start = i
        guard let first = current, Self.isNameStart(first) else { return nil }
        i += 1
        while let c = current, Self.isNameChar(c) { i += 1 }
        return String(String.UnicodeScalarView(scalars[start..<i]))
    }

    /// The next run of non-blank characters.
    mutating func token() -> (text: String, start: Int) {
        let start = i
        while let c = current, !Self.isBlank(c) { i += 1 }
        return (String(String.UnicodeScalarView(scalars[start..<i])), start)
    }

    /// Handles a `#` line; true for `# EOF`.
    mutating func comment() throws -> Bool {
        let text = String(String.UnicodeScalarView(scalars))
        if text.trimmingCharacters(in: .whitespaces) == "# EOF" { return true }
        let keywords = ["HELP", "TYPE", "UNIT"]
        i = 1
        guard current == " " else { return false }
        i = 2
        let word = token()
        guard keywords.contains(word.text) else { return false } // a plain comment (Prometheus text format)
        guard current == " " else { throw error(at: i, "expected a metric name after # \(word.text)") }
        i += 1
        let nameStart = i
        guard metricName() != nil else { throw error(at: nameStart, "expected a metric name after # \(word.text)") }
        if let c = current, !Self.isBlank(c) { throw error(at: i, "unexpected character \"\(c)\" in metric name") }
        switch word.text {
        case "TYPE":
            guard current == " " else { throw error(at: i, "expected a metric type after the name", typeHint) }
            i += 1
            let type = token()
            guard OpenMetricsParser.metricTypes.contains(type.text) else {
                throw error(at: type.start, "unknown metric type \"\(type.text)\"", typeHint)
            }
            skipBlanks()
            if !atEnd { throw error(at: i, "unexpected text after the metric type") }
        case "HELP":
            // Help text may hold \\ and \n escapes; its content is not used.
            break
        default: // UNIT
            break
        }
        return false
    }

    var typeHint: String { "one of " + OpenMetricsParser.metricTypes.sorted().joined(separator: ", ") }

    mutating func sample(requireTimestamp: Bool) throws -> OpenMetricsParser.RawSample {
        skipBlanks()
        let nameStart = i
        guard let name = metricName() else {
            throw error(at: i, "expected a metric name", "names match [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        var labels: [(name: String, value: String, column: Int)] = []
        if current == "{" {
            let brace = i
            i += 1
            while true {
                skipBlanks()
                guard let c = current else { throw error(at: brace, "label set is not closed with \"}\"") }
                if c == "}" { i += 1; break }
                let nameStart = i
                guard let labelName = labelName() else { throw error(at: i, "expected a label name", "label names match [a-zA-Z_][a-zA-Z0-9_]*") }
                if labels.contains(where: { $0.name == labelName }) { throw error(at: nameStart, "label \(labelName) appears twice") }
                skipBlanks()
                guard current == "=" else { throw error(at: i, "expected \"=\" after label name \(labelName)") }
                i += 1
                skipBlanks()
                guard current == "\"" else { throw error(at: i, "label value of \(labelName) must be in double quotes") }
                let quote = i
                i += 1
                var value = String.UnicodeScalarView()
                var closed = false
                while let c = current {
                    if c == "\"" { closed = true; i += 1; break }
                    if c == "\\" {
                        guard i + 1 < scalars.count else { break }
                        switch scalars[i + 1] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default:
                            throw error(at: i, "unknown escape \"\\\(scalars[i + 1])\" in the value of \(labelName)",
                                        "label values may only escape \\\\, \\\" and \\n")
                        }
                        i += 2
                        continue
                    }
                    value.append(c)
                    i += 1
                }
                guard closed else { throw error(at: quote, "label value of \(labelName) is not closed with a double quote") }
                labels.append((labelName, String(value), quote + 1))
                skipBlanks()
                if current == "," { i += 1; continue }
                if current == "}" { i += 1; break }
                if atEnd { throw error(at: brace, "label set is not closed with \"}\"") }
                throw error(at: i, "expected \",\" or \"}\" after the value of \(labelName)")
            }
        }
        let seriesEnd = i
        guard let next = current else { throw error(at: seriesEnd, "sample has no value", "write `name{labels} value timestamp`") }
        guard Self.isBlank(next) else { throw error(at: i, "unexpected character \"\(next)\" after the series name") }
        skipBlanks()
        guard !atEnd else { throw error(at: i, "sample has no value", "write `name{labels} value timestamp`") }
        let valueToken = token()
        guard let value = Self.number(valueToken.text) else {
            throw error(at: valueToken.start, "invalid sample value \"\(valueToken.text)\"", "a number, NaN, +Inf or -Inf")
        }
        skipBlanks()
        var timestamp: Double? = nil
        if !atEnd && current != "#" {
            let stamp = token()
            guard let t = Self.timestamp(stamp.text) else {
                throw error(at: stamp.start, "invalid timestamp \"\(stamp.text)\"", "seconds since the epoch, e.g. 1762074000 or 1762074000.5")
            }
            guard abs(t) < 1e11 else {
                throw error(at: stamp.start, "timestamp \(stamp.text) is too large for seconds (milliseconds?)",
                            "OpenMetrics timestamps are in seconds; the Prometheus text format's are in milliseconds")
            }
            timestamp = t
            skipBlanks()
        }
        if !atEnd && current != "#" { throw error(at: i, "unexpected text after the sample") }
        // Anything after `#` is an exemplar, which the store has no place for.
        if timestamp == nil && requireTimestamp {
            throw error(at: i, "sample has no timestamp; import needs one on every sample",
                        "append the time in seconds since the epoch, e.g. `\(name) 1 1762074000`")
        }
        return OpenMetricsParser.RawSample(name: name, labels: labels, value: value, timestamp: timestamp, line: line, column: nameStart + 1)
    }

    /// A sample value: decimal or exponent notation, or NaN / ±Inf (case-insensitive, as Go's ParseFloat).
    static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "+inf", "inf", "+infinity", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: break
        }
        guard isDecimal(text) else { return nil }
        return Double(text)
    }

    /// A timestamp: a finite decimal number.
    static func timestamp(_ text: String) -> Double? {
        guard isDecimal(text), let t = Double(text), t.isFinite else { return nil }
        return t
    }

    /// `[+-]?(digits[.digits*]|.digits)([eE][+-]?digits)?` — rejects the hex, `nan` and `inf` forms `Double.init` takes.
    static func isDecimal(_ text: String) -> Bool {
        var chars = Substring(text)
        if chars.first == "+" || chars.first == "-" { chars.removeFirst() }
        var digits = 0
        while let c = chars.first, c.isASCII, c.isNumber { digits += 1; chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            while let c = chars.first, c.isASCII, c.isNumber { digits += 1; chars.removeFirst() }
        }
        guard digits > 0 else { return false }
        if chars.first == "e" || chars.first == "E" {
            chars.removeFirst()
            if chars.first == "+" || chars.first == "-" { chars.removeFirst() }
            var exponent = 0
            while let c = chars.first, c.isASCII, c.isNumber { exponent += 1; chars.removeFirst() }
            guard exponent > 0 else { return false }
        }
        return chars.isEmpty
    }
}
