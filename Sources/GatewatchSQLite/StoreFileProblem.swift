import GRDB

/// Errors SQLite raises on a file that is not a store at all (random bytes, a truncated or overwritten file),
/// told apart from other failures so commands can say so instead of passing SQLite's error on.
public enum StoreFileProblem {
    /// SQLite's words ("file is not a database") when `error` says the file is not a database or is corrupt;
    /// nil for any other error.
    public static func notAStore(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return error.message ?? "\(error.resultCode)"
        default: return nil
        }
    }
}
