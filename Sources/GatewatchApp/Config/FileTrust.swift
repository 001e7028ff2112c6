import Foundation

/// Whether a file that decides what Gatewatch runs (a config that names hooks) or shows (a theme) can be changed by
/// someone other than the user running it, as OpenSSH's StrictModes asks of its files: the file must belong to that
/// user or to root and must not be writable by its group or others, and its folder must not be writable by others
/// (unless it is sticky, like /tmp, where others cannot replace the file).
public enum FileTrust {
    /// Why others could change `path`, or nil when they cannot (or when it cannot be examined; reading it then fails
    /// with its own message).
    public static func problem(_ path: String, userID: uid_t = getuid()) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = info.st_mode & 0o7777
        if info.st_uid != userID && info.st_uid != 0 {
            return "\(path) belongs to another user (uid \(info.st_uid))"
        }
        if mode & 0o022 != 0 {
            let who = mode & 0o002 != 0 ? "every user" : "its group"
            return "\(path) can be changed by \(who) (mode \(octal(mode))); fix: chmod go-w \(path)"
        }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        var dir = stat()
        if stat(folder, &dir) == 0 {
            let dirMode = dir.st_mode & 0o7777
            if dirMode & 0o002 != 0 && dirMode & 0o1000 == 0 {
                return "its folder \(folder) can be changed by every user (mode \(octal(dirMode))), who could replace it; fix: chmod o-w \(folder)"
            }
        }
        return nil
    }

    static func octal(_ mode: mode_t) -> String {
        let text = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
