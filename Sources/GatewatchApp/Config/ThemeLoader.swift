import Foundation
import GatewatchUI

/// Finds `NAME.yaml` theme files and reads them as partial overrides of `Theme.default`. Never throws: a missing or
/// broken theme gives the default theme and a warning to show the user.
public enum ThemeLoader {
    /// Where theme files are looked for, in order: the user's `$XDG_CONFIG_HOME/gatewatch/themes`
    /// (`~/.config/gatewatch/themes`), `$GATEWATCH_THEMES`, `./themes`, the `themes/` beside the executable's build
    /// folder, and the source checkout the binary was built from (as `ScenarioLoader.candidateRoots` finds sample-data).
    public static func defaultSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment,
                                          executable: String = CommandLine.arguments.first ?? "") -> [String] {
        var paths: [String] = [GatewatchConfig.configDirectory(environment: environment) + "/themes"]
        if let env = environment["GATEWATCH_THEMES"], !env.isEmpty { paths.append(env) }
        paths.append(FileManager.default.currentDirectoryPath + "/themes")
        if !executable.isEmpty {
            let exe = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            // .build/<config>/gatewatch → <package>/themes (and .build/<triple>/<config>/gatewatch)
            paths.append(exe.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path)
            paths.append(exe.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("themes").path)
        }
        // Sources/GatewatchApp/Config/ThemeLoader.swift → <package>/themes
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")
        paths.append(source.path)
        var seen = Set<String>()
        return paths.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The theme names available: `NAME.yaml` files in the search paths plus the built-in `default` and `mono`, sorted.
    public static func available(searchPaths: [String]) -> [String] {
        var names = Set(Theme.builtIn.keys)
        for dir in searchPaths {
            for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(5))
                if isValidName(name) { names.insert(name) }
            }
        }
        return names.sorted()
    }

    /// The file a theme name resolves to (the first search path holding `NAME.yaml`), if any.
    public static func file(for name: String, searchPaths: [String]) -> String? {
        guard isValidName(name) else { return nil }
        return searchPaths.lazy.map { $0 + "/" + name + ".yaml" }.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// Loads theme `name`: the first `NAME.yaml` in `searchPaths` parsed over `Theme.default`, else the built-in theme
    /// of that name. On any problem: `Theme.default` and a warning `file:line:column: message (hint: …)`. When
    /// `NO_COLOR` is set (non-empty) in `environment`, the result has no colours (`Theme.forNoColor()`).
    public static func load(name: String, searchPaths: [String],
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> (theme: Theme, warning: String?) {
        let (theme, warning, _) = loadDetailed(name: name, searchPaths: searchPaths)
        return (noColorRequested(environment) ? theme.forNoColor() : theme, warning)
    }

    /// For live switching (`:theme NAME`): the theme, or nil with the reason when it is unknown or broken (so the
    /// current theme can stay). A theme that loads with a warning (unknown roles) is returned with that warning.
    /// Matches `AppModel.loadTheme`.
    public static func resolve(name: String, searchPaths: [String],
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> (theme: Theme?, message: String?) {
        guard isValidName(name), file(for: name, searchPaths: searchPaths) != nil || Theme.builtIn[name] != nil else {
            return (nil, "no theme '\(name)' (available: \(available(searchPaths: searchPaths).joined(separator: ", ")))")
        }
        let (theme, warning, fellBack) = loadDetailed(name: name, searchPaths: searchPaths)
        if fellBack { return (nil, warning) } // broken file: keep the current theme
        return (noColorRequested(environment) ? theme.forNoColor() : theme, warning)
    }

    /// True when `NO_COLOR` is set to a non-empty value (https://no-color.org).
    public static func noColorRequested(_ environment: [String: String]) -> Bool {
        environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    }

    /// The theme before `NO_COLOR`; `fellBack` is true when the default replaced a missing or broken theme.
    static func loadDetailed(name: String, searchPaths: [String]) -> (theme: Theme, warning: String?, fellBack: Bool) {
        guard isValidName(name) else {
            return fallback("`\(name)` is not a theme name; using the default theme"
                        + " (hint: a theme name is a file name without .yaml, e.g. \(available(searchPaths: searchPaths).joined(separator: ", ")))")
        }
        guard let path = file(for: name, searchPaths: searchPaths) else {
            if let builtIn = Theme.builtIn[name] { return (builtIn, nil, false) }
            let known = available(searchPaths: searchPaths)
            return fallback("no theme `\(name)`; using the default theme (hint: available themes: "
                        + known.joined(separator: ", ") + "; add your own as "
                        + (searchPaths.first ?? "~/.config/gatewatch/themes") + "/\(name).yaml)")
        }
        if let problem = FileTrust.problem(path) {
            return fallback("refusing theme `\(name)`: \(problem); using the default theme")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return fallback("\(path): cannot read the theme (\(error.localizedDescription)); using the default theme")
        }
        do {
            let (theme, warnings) = try Theme.parseWithWarnings(yaml: text, name: name, base: .default)
            let warning = warnings.isEmpty ? nil : warnings.map { "\(path):\($0.description)" }.joined(separator: "\n")
            return (theme, warning, false)
        } catch {
            return fallback("\(path):\(error.line):\(error.column): \(error.message); using the default theme"
                        + (error.hint.map { " (hint: \($0))" } ?? ""))
        }
    }

    private static func fallback(_ warning: String) -> (theme: Theme, warning: String?, fellBack: Bool) {
        (.default, warning, true)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
