import GatewatchUI

/// Key names as written in the config file (`q`, `ctrl-c`, `pgdn`, `f1`, `space`) and as shown in help (`^C`, `PgDn`).
extension Key {
    /// Parses a key name from the config file; nil when it is not one (see `Key.nameProblem(_:)` for why).
    ///
    /// Accepted: one printable character (case matters: `g` and `G` differ), `space`, `enter` (`return`),
    /// `esc` (`escape`), `tab`, `shift-tab` (`backtab`), `backspace`, `delete` (`del`), `up`, `down`, `left`,
    /// `right`, `pgup` (`pageup`), `pgdn` (`pagedown`), `home`, `end`, `f1`…`f63`, and `ctrl-X` (also `^X`,
    /// `ctrl+X`) for a letter or one of `@ \ ] ^ _`. Multi-character names ignore case.
    public init?(name raw: String) {
        switch Key.parse(raw) {
        case .success(let key): self = key
        case .failure: return nil
        }
    }

    /// Why `name` is not a key name, or nil when it is one.
    public static func nameProblem(_ name: String) -> String? {
        if case .failure(let problem) = parse(name) { return problem.message }
        return nil
    }

    /// The canonical config-file name; `Key(name: key.configName) == key` for every key but `.resize` and `.paste`
    /// (which cannot be bound).
    public var configName: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .control(let c): return "ctrl-" + String(c).lowercased()
        case .up: return "up"
        case .down: return "down"
        case .left: return "left"
        case .right: return "right"
        case .enter: return "enter"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .backspace: return "backspace"
        case .delete: return "delete"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .home: return "home"
        case .end: return "end"
        case .function(let n): return "f\(n)"
        case .resize: return "resize"
        case .paste: return "paste"
        }
    }

    /// The short label used in help and in the footer: `j`, `↓`, `^F`, `PgDn`, `Home`, `esc`, `F1`, `space`.
    public var displayName: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .control(let c): return "^" + String(c).uppercased()
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .enter: return "enter"
        case .escape: return "esc"
        case .tab: return "tab"
        case .backTab: return "S-tab"
        case .backspace: return "bksp"
        case .delete: return "del"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let n): return "F\(n)"
        case .resize: return "resize"
        case .paste: return "paste"
        }
    }

    /// One line listing the accepted key names, for hints and docs.
    public static let nameSummary = "a single character (quote punctuation in YAML, e.g. \"?\"), space, enter, esc, tab, "
        + "shift-tab, backspace, delete, up, down, left, right, pgup, pgdn, home, end, f1-f12, ctrl-a … ctrl-z"

    struct NameProblem: Error { var message: String }

    private static let named: [String: Key] = [
        "space": .character(" "), "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape,
        "tab": .tab, "shift-tab": .backTab, "backtab": .backTab, "s-tab": .backTab,
        "backspace": .backspace, "bksp": .backspace, "delete": .delete, "del": .delete,
        "up": .up, "down": .down, "left": .left, "right": .right,
        "pgup": .pageUp, "pageup": .pageUp, "page-up": .pageUp,
        "pgdn": .pageDown, "pagedown": .pageDown, "page-down": .pageDown,
        "home": .home, "end": .end,
    ]

    static func parse(_ raw: String) -> Result<Key, NameProblem> {
        if raw.isEmpty { return .failure(NameProblem(message: "empty key name")) }
        if raw.count == 1, let c = raw.first {
            guard c.unicodeScalars.allSatisfy({ !($0.properties.generalCategory == .control) }) else {
                return .failure(NameProblem(message: "control characters cannot be written literally; use ctrl-X"))
            }
            if c == " " { return .success(.character(" ")) }
            guard !c.isWhitespace else { return .failure(NameProblem(message: "whitespace other than space cannot be bound")) }
            return .success(.character(c))
        }
        let s = raw.lowercased()
        if let key = named[s] { return .success(key) }
        if s.hasPrefix("f"), let n = Int(s.dropFirst()), String(n) == String(s.dropFirst()) {
            guard (1...63).contains(n) else { return .failure(NameProblem(message: "function keys go from f1 to f63")) }
            return .success(.function(n))
        }
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first else { break }
            switch c {
            case "h": return .failure(NameProblem(message: "terminals send Ctrl-H as backspace; bind `backspace`"))
            case "i": return .failure(NameProblem(message: "terminals send Ctrl-I as tab; bind `tab`"))
            case "j", "m": return .failure(NameProblem(message: "terminals send Ctrl-\(c.uppercased()) as enter; bind `enter`"))
            case "[": return .failure(NameProblem(message: "terminals send Ctrl-[ as escape; bind `esc`"))
            case "a"..."z", "@", "\\", "]", "^", "_": return .success(.control(c))
            default: return .failure(NameProblem(message: "Ctrl works with a letter or one of @ \\ ] ^ _"))
            }
        }
        return .failure(NameProblem(message: "unknown key `\(raw)`"))
    }
}
