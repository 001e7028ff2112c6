import Foundation
import Testing
import GatewatchApp
import GatewatchCore

/// A config that names hooks runs commands as the user; one that others can change is refused (as OpenSSH refuses
/// such files), and a theme others can change is not loaded.
@Suite struct FileTrustTests {
    /// A folder of the given mode holding `name` with `text` at the given mode.
    func file(_ name: String, _ text: String, mode: mode_t, folderMode: mode_t) throws -> (folder: String, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-trust-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, mode) == 0 && chmod(folder, folderMode) == 0)
        return (folder, path)
    }

    static let withHooks = "hooks:\n  rollback: ./router.sh rollback\n"

    @Test func aWorldWritableConfigThatNamesHooksIsRefused() throws {
        let (folder, path) = try file("config.yaml", Self.withHooks, mode: 0o666, folderMode: 0o777)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try GatewatchConfig.read(path: path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("refusing a config that names hooks") && text.contains("can be changed by every user (mode 0666)")
                && text.contains("chmod go-w")
        }
    }

    @Test func aGroupWritableConfigThatNamesHooksIsRefused() throws {
        let (folder, path) = try file("config.yaml", Self.withHooks, mode: 0o664, folderMode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: InputError.self) { try GatewatchConfig.read(path: path) }
    }

    /// Others cannot write the file but can replace it: its folder is writable by everyone and not sticky.
    @Test func aPrivateConfigInAWorldWritableFolderIsRefused() throws {
        let (folder, path) = try file("config.yaml", Self.withHooks, mode: 0o600, folderMode: 0o777)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect {
            try GatewatchConfig.read(path: path)
        } throws: { error in "\(error)".contains("its folder \(folder) can be changed by every user (mode 0777)") }
    }

    @Test func aSafeConfigOrOneWithoutHooksIsRead() throws {
        let (folder, path) = try file("config.yaml", Self.withHooks, mode: 0o644, folderMode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try GatewatchConfig.read(path: path).hooks[.rollback] == "./router.sh rollback")
        // Nothing to run: a world-writable config without hooks is read (its other settings cannot run anything).
        let (open, openPath) = try file("config.yaml", "refresh: 2\n", mode: 0o666, folderMode: 0o777)
        defer { try? FileManager.default.removeItem(atPath: open) }
        #expect(try GatewatchConfig.read(path: openPath).refresh == 2)
    }

    @Test func aThemeOthersCanChangeIsNotLoaded() throws {
        let (folder, path) = try file("loud.yaml", "roles:\n  title: { fg: red }\n", mode: 0o666, folderMode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (_, warning) = ThemeLoader.load(name: "loud", searchPaths: [folder], environment: [:])
        #expect(warning?.contains("refusing theme `loud`: \(path) can be changed by every user") == true, "\(warning ?? "nil")")
        #expect(chmod(path, 0o644) == 0)
        let (_, fine) = ThemeLoader.load(name: "loud", searchPaths: [folder], environment: [:])
        #expect(fine == nil, "\(fine ?? "nil")")
    }
}
