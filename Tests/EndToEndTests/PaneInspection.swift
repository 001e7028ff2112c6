import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What reached a tmux pane: `capture-pane -e -p` (escape sequences as the terminal received them, which for tmux is
/// only the SGR colour/attribute sequences it re-creates) and `capture-pane -N -p` (every row, trailing blanks kept).
///
/// Widths are measured with the C library's `wcwidth` under a UTF-8 locale — what tmux itself uses to place
/// characters, and independent of Gatewatch's own `DisplayWidth` — so a row that is too wide or a right border that is
/// off by a column shows up as it does on the screen.
struct PaneInspection {
    let width: Int
    let height: Int
    /// Escape sequences other than SGR (`ESC [ … m`) found in the escaped capture.
    var foreignEscapes: [String] = []
    /// Bidirectional controls (U+202A–202E, U+2066–2069, U+200E/F, U+061C) in the pane.
    var bidiControls: [Unicode.Scalar] = []
    /// C0/C1 control characters other than the line feeds between rows.
    var controls: [Unicode.Scalar] = []
    /// Rows wider than the pane, or that end in a box border not at the right edge: "row N: width W: text".
    var misalignedRows: [String] = []
    /// Rows that end in a box border (checked to end exactly at the right edge).
    var borderedRows = 0
    /// Rows read.
    var rows = 0

    init(escaped: String, plain: String, width: Int, height: Int) {
        self.width = width
        self.height = height
        // Escape sequences: SGR is what tmux uses to show colours and attributes; anything else came from the data.
        let scalars = Array(escaped.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\u{1B}" {
                var j = i + 1
                var sequence = "ESC"
                if j < scalars.count, scalars[j] == "[" {
                    j += 1
                    while j < scalars.count, "0123456789;:".unicodeScalars.contains(scalars[j]) { j += 1 }
                    if j < scalars.count, scalars[j] == "m" {
                        i = j + 1
                        continue
                    }
                }
                sequence += String(String.UnicodeScalarView(scalars[(i + 1)..<min(scalars.count, i + 8)]))
                foreignEscapes.append(sequence.debugDescription)
                i += 1
                continue
            }
            i += 1
        }
        for scalar in plain.unicodeScalars {
            let v = scalar.value
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C {
                bidiControls.append(scalar)
            } else if (v < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(v) {
                controls.append(scalar)
            }
        }
        var lines = plain.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        rows = lines.count
        let borders: Set<Character> = ["│", "┐", "┘", "┤", "║"]
        for (n, line) in lines.enumerated() {
            let w = Self.terminalWidth(line)
            let trimmed = line.replacingOccurrences(of: " +$", with: "", options: .regularExpression)
            if w > width {
                misalignedRows.append("row \(n): width \(w): \(line)")
            } else if let last = trimmed.last, borders.contains(last) {
                borderedRows += 1
                let end = Self.terminalWidth(trimmed)
                if end != width { misalignedRows.append("row \(n): border at column \(end), not \(width): \(line)") }
            }
        }
    }

    /// True when nothing unsafe reached the pane and every row fits.
    var isClean: Bool {
        foreignEscapes.isEmpty && bidiControls.isEmpty && controls.isEmpty && misalignedRows.isEmpty && rows == height
    }

    var summary: String {
        "\(rows) rows (\(borderedRows) bordered), \(foreignEscapes.count) raw escapes, \(bidiControls.count) bidi controls, "
            + "\(controls.count) controls, \(misalignedRows.count) misaligned"
    }

    /// The sum of `wcwidth` over the scalars of `text` under C.UTF-8 (set for this thread only).
    static func terminalWidth(_ text: String) -> Int {
        guard let utf8 = newlocale(Int32(1) << LC_CTYPE, "C.UTF-8", nil) else { return -1 }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return text.unicodeScalars.reduce(0) { $0 + max(0, Int(wcwidth(wchar_t(bitPattern: $1.value)))) }
    }

    /// The C library's `wcwidth` (not imported by the Glibc module), found with `dlsym`.
    private static let wcwidth: @convention(c) (wchar_t) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth") else { return { _ in -1 } }
        return unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
    }()

    /// Inspects the current screen of `session`.
    static func of(_ session: TmuxSession) -> PaneInspection {
        let escaped = (try? session.tmux(["capture-pane", "-p", "-e", "-t", "main"]).output) ?? ""
        let plain = (try? session.tmux(["capture-pane", "-p", "-N", "-t", "main"]).output) ?? ""
        return PaneInspection(escaped: escaped, plain: plain, width: session.width, height: session.height)
    }
}
