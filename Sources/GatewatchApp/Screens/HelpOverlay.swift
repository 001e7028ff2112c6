import GatewatchUI

/// The `?` overlay: the keys of this panel, this screen, the release's actions and everywhere, from the controllers in
/// scope (`AppModel.helpSections`). A key that does nothing now is dim, with its reason; long lines wrap; when the
/// sections do not fit, j/k scroll them and the title says where you are.
public enum HelpOverlay {
    public static let title = "Keys"
    static let maxLabelWidth = 18

    /// One line of the overlay: a section title, a key's first line, or the continuation of a key's text.
    struct Line: Equatable {
        enum Kind: Equatable { case section, key, more, blank }
        var kind: Kind
        var label = ""
        var text: String
        var disabled = false
    }

    /// Rows of help: consecutive keys of one group (the list keys) share a row labelled with each key's first name.
    static func rows(_ section: HelpSection) -> [(label: String, text: String, disabled: String?)] {
        var rows: [(label: String, text: String, disabled: String?)] = []
        var i = 0
        let keys = section.keys
        while i < keys.count {
            let key = keys[i]
            if let group = key.group {
                var j = i
                var labels: [String] = []
                while j < keys.count, keys[j].group == group {
                    labels.append(keys[j].label.split(separator: " ").first.map(String.init) ?? keys[j].label)
                    j += 1
                }
                rows.append((labels.joined(separator: " "), group, key.disabled))
                i = j
            } else {
                rows.append((key.label, key.help, key.disabled))
                i += 1
            }
        }
        return rows
    }

    static func labelWidth(_ sections: [HelpSection]) -> Int {
        min(maxLabelWidth, sections.flatMap(rows).map { DisplayWidth.of($0.label) }.max() ?? 4)
    }

    /// Every line at an inner width.
    static func lines(_ sections: [HelpSection], width: Int) -> [Line] {
        let labelWidth = labelWidth(sections)
        let textWidth = max(12, width - labelWidth - 3)
        var out: [Line] = []
        for section in sections {
            if !out.isEmpty { out.append(Line(kind: .blank, text: "")) }
            out.append(Line(kind: .section, text: section.title))
            for row in rows(section) {
                let text = row.text + (row.disabled.map { " — \($0)" } ?? "")
                // A label longer than its column takes its own line.
                var wrapped = GatesPanel.wrap(text, width: textWidth)
                if DisplayWidth.of(row.label) > labelWidth {
                    out.append(Line(kind: .key, label: row.label, text: "", disabled: row.disabled != nil))
                    out += wrapped.map { Line(kind: .more, text: $0, disabled: row.disabled != nil) }
                    continue
                }
                out.append(Line(kind: .key, label: row.label, text: wrapped.removeFirst(), disabled: row.disabled != nil))
                out += wrapped.map { Line(kind: .more, text: $0, disabled: row.disabled != nil) }
            }
        }
        return out
    }

    /// How many lines the sections take at an inner width (the model bounds its scroll with it).
    static func lineCount(_ sections: [HelpSection], width: Int) -> Int { lines(sections, width: width).count }

    public static func draw(into canvas: inout Canvas, sections: [HelpSection], scroll: Int, keys: KeyTable, context: RenderContext) {
        let labelWidth = labelWidth(sections)
        let widest = sections.flatMap(rows).map { labelWidth + 3 + DisplayWidth.of($0.text + ($0.disabled.map { " — \($0)" } ?? "")) }.max() ?? 40
        let width = min(context.width - 2, max(50, min(widest + 4, 110)))
        let all = lines(sections, width: width - 4)
        let height = min(context.height - 2, all.count + 4)
        guard width > 20, height > 4 else { return }
        let rect = Rect(x: (context.width - width) / 2, y: (context.height - height) / 2, width: width, height: height)
        let visible = height - 4
        let offset = min(max(0, scroll), max(0, all.count - visible))
        let place = all.count > visible ? " [\(offset + 1)–\(offset + visible)/\(all.count)]" : ""
        canvas.fill(rect, style: .plain)
        let inner = Box.draw(into: &canvas, rect: rect, title: title + place, theme: context.theme, glyphs: context.glyphs, focused: true)
        let theme = context.theme
        for (i, line) in all.dropFirst(offset).prefix(visible).enumerated() {
            let x = inner.x + 1, y = inner.y + i
            switch line.kind {
            case .section: canvas.write(line.text, x: x, y: y, style: theme.style("title"), maxWidth: inner.width - 1)
            case .blank: break
            case .key, .more:
                if line.kind == .key {
                    canvas.write(line.label, x: x, y: y, style: theme.style(line.disabled ? "text.dim" : "help.key"), maxWidth: inner.width - 1)
                }
                canvas.write(line.text, x: x + labelWidth + 2, y: y, style: theme.style(line.disabled ? "text.dim" : "help.text"),
                             maxWidth: inner.maxX - (x + labelWidth + 2))
            }
        }
        var closers = [keys.binding(for: .back)?.label, keys.binding(for: .help)?.label].compactMap { $0 }.joined(separator: " or ") + " closes"
        if !place.isEmpty { closers += " · \(KeyHints.key(.moveDown, in: keys) ?? "j")/\(KeyHints.key(.moveUp, in: keys) ?? "k") scroll" }
        closers += " · every key: gatewatch keys"
        canvas.write(closers, x: inner.x + 1, y: inner.maxY - 1, style: theme.style("text.dim"), maxWidth: inner.width - 1)
    }
}
