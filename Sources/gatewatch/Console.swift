import Foundation

/// Writes to standard output and error without trapping: SIGPIPE is ignored (so a hook or a closed pipe cannot kill
/// the dashboard), and a reader that went away (`gatewatch guard | head -1`) ends the command quietly instead.
enum Console {
    static func out(_ text: String) {
        do { try FileHandle.standardOutput.write(contentsOf: Data(text.utf8)) } catch { exit(141) }
    }

    static func err(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }
}
