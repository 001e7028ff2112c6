import Foundation

/// Operating-system user names from the kernel's user ids (never `$USER`, which the caller sets).
public enum SystemUser {
    /// The name of the effective user of this process, or "uid N" when the user database has none.
    public static var current: String { name(of: geteuid()) }

    /// The name of the user owning `path`; nil when the file cannot be read.
    public static func owner(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return name(of: info.st_uid)
    }

    /// Whether the user database knows `name` (`getpwnam_r`).
    public static func exists(_ name: String) -> Bool {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        return getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0 && result != nil
    }

    static func name(of uid: uid_t) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return "uid \(uid)"
        }
        return String(cString: name)
    }
}
