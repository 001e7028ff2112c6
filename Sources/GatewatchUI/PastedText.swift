/// Text the user pasted into the terminal (bracketed paste), delivered as one key value so that it is typed into a
/// field as text and never runs as keys.
public struct PastedText: Hashable, Sendable {
    /// What was pasted, without the paste markers. It may hold line breaks, tabs, ESC and other control characters.
    public var text: String
    /// Characters (Unicode scalars) that were read but not kept because the paste was longer than the terminal layer
    /// keeps of one paste.
    public var dropped: Int
    /// True when the paste ended without its end marker: nothing more arrived for a while.
    public var unterminated: Bool

    public init(_ text: String, dropped: Int = 0, unterminated: Bool = false) {
        self.text = text
        self.dropped = dropped
        self.unterminated = unterminated
    }

    /// The text as a one-line field takes it: each line break (CR, LF, CR LF, NEL, LS, PS) and each tab becomes one
    /// space, every other control character (C0 including ESC, DEL, C1) is left out; `controlsDropped` counts those.
    public var singleLine: (text: String, controlsDropped: Int) {
        var out = String.UnicodeScalarView()
        var controls = 0
        var previousCR = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            defer { previousCR = v == 0x0D }
            if v == 0x0A && previousCR { continue }
            switch v {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: out.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: controls += 1
            default: out.append(scalar)
            }
        }
        return (String(out), controls)
    }

    /// What happened when a paste went into a field (see `insert(into:limit:)`).
    public struct Insertion: Equatable, Sendable {
        /// Characters put into the field.
        public var inserted: Int
        /// Characters the paste offered after the line breaks and controls were handled, plus those the terminal
        /// layer dropped.
        public var offered: Int
        /// Control characters left out.
        public var controlsDropped: Int

        /// True when part of the paste did not make it into the field.
        public var isShort: Bool { inserted < offered }
    }

    /// Appends the one-line form of the paste to `field`, keeping it at most `limit` characters long.
    @discardableResult
    public func insert(into field: inout String, limit: Int) -> Insertion {
        let (line, controls) = singleLine
        let room = max(0, limit - field.count)
        let kept = String(line.prefix(room))
        field += kept
        return Insertion(inserted: kept.count, offered: line.count + dropped, controlsDropped: controls)
    }
}
