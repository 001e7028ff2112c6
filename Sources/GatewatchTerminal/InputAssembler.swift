import CNCursesW
import GatewatchUI

/// Turns what curses reads (characters, decoded `KEY_*` codes, and "nothing came") into `Key`s: a lone Escape,
/// Escape before a key (Alt+key), escape sequences terminfo does not know (swallowed), and bracketed paste — the text
/// between `ESC[200~` and `ESC[201~` becomes one `.paste` key, whatever it holds (line breaks, tabs, ESC, CSI
/// sequences), so pasted text never runs as keys.
///
/// Pure: no curses state, no clock. The reader passes the time of each read and asks `waitMilliseconds` how long to
/// wait for the next one. A paste ends at its end marker; without one, after `silence` seconds in which nothing
/// arrives (it never hangs). Only `keptLimit` characters of a paste are kept; the rest is read, counted in
/// `PastedText.dropped` and never run as keys. A paste still arriving after `chunkInterval` seconds is handed over in
/// parts (each a `.paste` key), so the screen keeps being drawn during a very long one.
public struct InputAssembler: Sendable {
    /// One read from curses.
    public enum Unit: Equatable, Sendable {
        /// A character: the Unicode scalar value `wget_wch` stored.
        case scalar(UInt32)
        /// A `KEY_*` code curses decoded from a sequence its terminfo entry knows.
        case keyCode(Int32)
        /// Nothing arrived within the wait (or the wait was interrupted by a signal).
        case nothing
    }

    enum State: Equatable, Sendable {
        case ground
        /// ESC read; what follows decides.
        case escape
        /// `ESC [` and the parameter/intermediate bytes so far.
        case csi([UInt32])
        /// `ESC O`: the next unit is swallowed.
        case ss3
        /// Inside a bracketed paste.
        case paste
    }

    /// Seconds without input after which a paste with no end marker is ended.
    public var silence: Double = 0.5
    /// Characters of one paste that are kept; further ones are counted as dropped.
    public var keptLimit = 65_536
    /// Seconds after which a paste still arriving is handed over in parts.
    public var chunkInterval: Double = 0.25
    /// How long to wait for the rest of an escape sequence after `ESC [` or `ESC O` (curses has already waited
    /// `ESCDELAY` for the sequences it knows).
    public var sequenceWaitMilliseconds = 25

    private(set) var state: State = .ground
    private var pasted = String.UnicodeScalarView()
    private var keptCount = 0
    private var droppedCount = 0
    /// A partial end marker (`ESC`, `ESC [`, `ESC [ 2` …) inside a paste, not yet known to be one.
    private var markerSoFar: [UInt32] = []
    private var lastInput: Double = 0
    private var chunkStarted: Double = 0

    static let pasteStart: [UInt32] = Array("200".unicodeScalars.map(\.value))
    static let pasteEnd: [UInt32] = Array("\u{1B}[201~".unicodeScalars.map(\.value))

    public init() {}

    /// True when no sequence or paste is under way: the next read may wait as long as the caller likes.
    public var isIdle: Bool { state == .ground }

    /// True inside a bracketed paste.
    public var isInPaste: Bool { state == .paste }

    /// How long the next read should wait: `idle` (the caller's timeout; negative: forever) when nothing is under way,
    /// 0 after a lone ESC, a short while inside an escape sequence, and until the silence would end a paste.
    public func waitMilliseconds(idle: Int, now: Double) -> Int {
        switch state {
        case .ground: return idle
        case .escape: return 0
        case .csi, .ss3: return sequenceWaitMilliseconds
        case .paste: return max(1, Int(((silence - (now - lastInput)) * 1000).rounded(.up)))
        }
    }

    /// Takes one read made at `now` (seconds, any monotonic clock) and returns the keys it completes, in order.
    public mutating func feed(_ unit: Unit, at now: Double) -> [Key] {
        if unit != .nothing { lastInput = now }
        switch state {
        case .ground:
            return ground(unit)
        case .escape:
            switch unit {
            case .nothing:
                state = .ground
                return [.escape]
            case .keyCode(let code):
                state = .ground
                return [.escape] + decoded(code, isKeyCode: true)
            case .scalar(0x5B): // "["
                state = .csi([])
                return []
            case .scalar(0x4F): // "O"
                state = .ss3
                return []
            case .scalar(27):
                return [.escape]
            case .scalar(let v):
                state = .ground
                return [.escape] + decoded(Int32(bitPattern: v), isKeyCode: false)
            }
        case .ss3:
            state = .ground
            return []
        case .csi(let bytes):
            switch unit {
            case .nothing:
                state = .ground
                return []
            case .keyCode(let code):
                state = .ground
                return decoded(code, isKeyCode: true)
            case .scalar(27):
                state = .escape
                return []
            case .scalar(let v) where (0x20...0x3F).contains(v):
                // Parameter and intermediate bytes; an overlong sequence is given up (and swallowed).
                state = bytes.count < 32 ? .csi(bytes + [v]) : .ground
                return []
            case .scalar(let v) where (0x40...0x7E).contains(v):
                if v == 0x7E && bytes == Self.pasteStart {
                    beginPaste(at: now)
                } else {
                    state = .ground // a sequence Gatewatch does not use
                }
                return []
            case .scalar(let v):
                // Not part of a CSI sequence: the sequence is dropped, the character is read as itself.
                state = .ground
                return ground(.scalar(v))
            }
        case .paste:
            return paste(unit, at: now)
        }
    }

    private mutating func ground(_ unit: Unit) -> [Key] {
        switch unit {
        case .nothing: return []
        case .keyCode(let code): return decoded(code, isKeyCode: true)
        case .scalar(27):
            state = .escape
            return []
        case .scalar(let v): return decoded(Int32(bitPattern: v), isKeyCode: false)
        }
    }

    private func decoded(_ code: Int32, isKeyCode: Bool) -> [Key] {
        KeyDecoder.decode(code: code, isKeyCode: isKeyCode).map { [$0] } ?? []
    }

    // MARK: - Paste

    private mutating func beginPaste(at now: Double) {
        state = .paste
        pasted = String.UnicodeScalarView()
        keptCount = 0
        droppedCount = 0
        markerSoFar = []
        chunkStarted = now
    }

    private mutating func paste(_ unit: Unit, at now: Double) -> [Key] {
        switch unit {
        case .nothing:
            return now - lastInput >= silence ? [finishPaste(unterminated: true)] : []
        case .keyCode(let code):
            // A sequence curses decoded inside the paste (e.g. `ESC O A` as KEY_UP): not text, left out. A resize
            // during the paste is still reported.
            keep(markerSoFar)
            markerSoFar = []
            return (code == KEY_RESIZE ? [.resize] : []) + partIfDue(at: now)
        case .scalar(let v):
            if v == Self.pasteEnd[markerSoFar.count] {
                markerSoFar.append(v)
                if markerSoFar.count == Self.pasteEnd.count { return [finishPaste(unterminated: false)] }
                return partIfDue(at: now)
            }
            // Not the end marker after all: what looked like its start is pasted text.
            keep(markerSoFar)
            markerSoFar = []
            if v == 27 { markerSoFar = [v] } else { keep([v]) }
            return partIfDue(at: now)
        }
    }

    private mutating func keep(_ scalars: [UInt32]) {
        for v in scalars {
            guard let scalar = Unicode.Scalar(v) else { continue }
            if keptCount < keptLimit {
                pasted.append(scalar)
                keptCount += 1
            } else {
                droppedCount += 1
            }
        }
    }

    /// The paste so far as a part, when one is due and there is something to hand over.
    private mutating func partIfDue(at now: Double) -> [Key] {
        guard now - chunkStarted >= chunkInterval else { return [] }
        chunkStarted = now
        guard !pasted.isEmpty || droppedCount > 0 else { return [] }
        let part = PastedText(String(pasted), dropped: droppedCount)
        pasted = String.UnicodeScalarView()
        droppedCount = 0
        return [.paste(part)]
    }

    private mutating func finishPaste(unterminated: Bool) -> Key {
        if unterminated { keep(markerSoFar) }
        let text = PastedText(String(pasted), dropped: droppedCount, unterminated: unterminated)
        state = .ground
        pasted = String.UnicodeScalarView()
        keptCount = 0
        droppedCount = 0
        markerSoFar = []
        return .paste(text)
    }
}
