/// Why a store file could not be opened, in words for the command line.
public enum SQLiteStoreError: Error, Equatable, CustomStringConvertible {
    /// The file is missing, empty or not a SQLite database; nothing was created or changed.
    case notAStore(path: String, why: String)
    /// A write command on a file or folder this process may not write.
    case notWritable(path: String)
    /// A read-only file whose schema is older than this build's: it cannot be upgraded, and this build cannot read it.
    case needsUpgrade(path: String)

    public var description: String {
        switch self {
        case .notAStore(let path, let why): return "\(path) \(why), not a Gatewatch store"
        case .notWritable(let path):
            return "store \(path) is read-only (no write permission on the file or its folder); only check, audit verify, snapshot and review can read it"
        case .needsUpgrade(let path):
            return "store \(path) was written by an older Gatewatch and is read-only, so its schema cannot be upgraded; open it once with write permission"
        }
    }
}
