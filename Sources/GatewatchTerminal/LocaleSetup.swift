import CNCursesW
import Foundation

/// Chooses a UTF-8 `LC_CTYPE` so the wide-character curses calls work (FACTS.md §1).
enum LocaleSetup {
    static func isUTF8(codeset: String) -> Bool {
        let c = codeset.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        return c == "utf8"
    }

    static var currentCodeset: String {
        guard let p = gw_codeset() else { return "" }
        return String(cString: p)
    }

    /// `setlocale(LC_ALL, "")`; if the codeset is not UTF-8, try `C.UTF-8` for `LC_CTYPE`.
    /// `LC_NUMERIC` is put back to "C" so C-level number formatting and parsing never see a decimal comma.
    /// Returns whether the resulting codeset is UTF-8.
    ///
    /// Once per process: setlocale(3) is not thread-safe (it frees and reallocates the locale data other threads may
    /// be reading), so a second backend — several in one test process, beside suites running on other threads —
    /// must not call it again. The result of the first call is kept.
    static func configure() -> Bool { configured }

    private static let configured: Bool = {
        _ = setlocale(LC_ALL, "")
        _ = setlocale(LC_NUMERIC, "C")
        if isUTF8(codeset: currentCodeset) { return true }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
            if isUTF8(codeset: currentCodeset) { return true }
        }
        return false
    }()
}
