import Foundation

/// Reads a credential (a bearer token or a password) from a file, the alternative to an environment variable.
///
/// The file must be a regular file that only its owner can read or write: any permission for the group or for
/// others (`mode & 0o077`, as OpenSSH requires of private keys) is refused with a message that names the file, its
/// mode and the fix (`chmod 600 FILE`). The secret is the file's content without a trailing line break; an empty
/// file is refused. Messages never contain the secret.
public enum SecretFile {
    /// Why a credential file cannot be used; `description` names the file and what to do.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        public let path: String
        public let message: String
        public var description: String { message }
    }

    /// Permission bits of a credential file that are refused (group and others, any of read, write, execute).
    public static let refusedBits: mode_t = 0o077

    /// The secret in `path`; `purpose` says what it is for in messages ("bearer token for https://prom:9090").
    public static func read(_ path: String, purpose: String) throws(Problem) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw Problem(path: path, message: "cannot read \(path), the file that should hold the \(purpose): \(reason)")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Problem(path: path, message: "\(path) (the \(purpose)) is not a regular file")
        }
        let mode = info.st_mode & 0o7777
        if mode & refusedBits != 0 {
            let who = mode & 0o007 != 0 ? "other users" : "its group"
            throw Problem(path: path, message: "\(path) holds the \(purpose) but \(who) may access it (mode \(octal(mode)));"
                + " restrict it to its owner: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(path: path, message: "cannot read \(path), the file that should hold the \(purpose): permission denied")
        }
        var text = String(decoding: data, as: UTF8.self)
        while let last = text.last, last == "\n" || last == "\r\n" || last == "\r" { text.removeLast() }
        guard !text.isEmpty else {
            throw Problem(path: path, message: "\(path) is empty; it should hold the \(purpose)")
        }
        return text
    }

    /// `0644`-style text of a mode.
    static func octal(_ mode: mode_t) -> String {
        let text = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
