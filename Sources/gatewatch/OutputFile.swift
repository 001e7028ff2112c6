import ArgumentParser
import Foundation

/// Checks an `--out` path before any work is done, so a typo in a folder name fails at once with its reason instead
/// of after a long simulation.
enum OutputFile {
    static func validate(_ path: String?) throws {
        guard let path else { return }
        guard !path.isEmpty else { throw ValidationError("--out needs a file name") }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("cannot write \(path): it is a folder")
        }
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("cannot write \(path): the folder \(folder) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw ValidationError("cannot write \(path): the folder \(folder) is not writable")
        }
    }
}
