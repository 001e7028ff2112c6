import ArgumentParser
import GatewatchSQLite

/// Opens the embedded store file a command names; a file that is not a store, or cannot be opened, is a
/// `ValidationError` (exit status 2) that says which.
enum StoreFile {
    static func open(_ path: String, access: SQLiteStore.Access = .read) throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: path, access: access)
        } catch let error as SQLiteStoreError {
            throw ValidationError(error.description)
        } catch {
            throw ValidationError(message(path, error))
        }
    }

    /// `PATH is not a Gatewatch store (SQLite: file is not a database)`, or why the file cannot be opened.
    static func message(_ path: String, _ error: any Error) -> String {
        if let why = StoreFileProblem.notAStore(error) { return "\(path) is not a Gatewatch store (SQLite: \(why))" }
        return "cannot open the store \(path): \(error)"
    }
}
