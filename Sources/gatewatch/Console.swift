import Foundation
import GatewatchUI

/// Writes to standard output and error without trapping: SIGPIPE is ignored (so a hook or a closed pipe cannot kill
/// the dashboard), and a reader that went away (`gatewatch guard | head -1`) ends the command quietly instead.
///
/// Text comes from release specs, registries, metric labels and audit notes that anyone may have written, so it is
/// made inert on the way out: `out` and `err` replace escape sequences, other control characters (line feeds and
/// tabs stay) and bidirectional controls with visible stand-ins (`TextSanitizer.cleanLines`); `json` writes those
/// characters as `\uXXXX` escapes instead, leaving the data unchanged; `data` (file formats such as OpenMetrics)
/// passes the bytes through unless standard output is a terminal.
enum Console {
    static func out(_ text: String) {
        write(TextSanitizer.cleanLines(text))
    }

    static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(TextSanitizer.cleanLines(text).utf8))
    }

    /// One JSON document and a line feed.
    static func json(_ text: String) {
        write(TextSanitizer.escapeInvisiblesInJSON(text) + "\n")
    }

    /// A file format written to standard output: unchanged into a pipe or file, cleaned on a terminal.
    static func data(_ text: String) {
        write(isatty(STDOUT_FILENO) == 1 ? TextSanitizer.cleanLines(text) : text)
    }

    private static func write(_ text: String) {
        do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch { exit(141) }
    }
}
