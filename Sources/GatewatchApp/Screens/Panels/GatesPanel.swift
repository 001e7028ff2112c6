import GatewatchCore
import GatewatchUI

/// Each gate for the next promotion: ✓ / ✗ / ? with its reason.
enum GatesPanel {
    /// Lines the panel needs at an inner width (for the layout to size it).
    static func neededLines(_ a: ReleaseAnalysis, innerWidth: Int, labels: [String: String]) -> Int {
        guard !a.gates.isEmpty else { return 1 }
        return a.gates.reduce(0) { $0 + wrap(SegmentText.shorten($1.reason, labels: labels), width: max(8, innerWidth - 22)).count }
    }

    /// Splits text at spaces (or hard, for long words) into lines of at most `width` columns.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while DisplayWidth.of(word) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                let head = DisplayWidth.truncate(word, toWidth: width, ellipsis: "")
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) > width { lines.append(current); current = word } else { current = candidate }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// `labels`: the segments' short forms (`ReleaseScreen.segmentLabels`), for the reasons.
    static func draw(into canvas: inout Canvas, rect: Rect, _ a: ReleaseAnalysis, title: String, focused: Bool, labels: [String: String],
                     selected: Int = 0, context: RenderContext) {
        let theme = context.theme, glyphs = context.glyphs
        let inner = Box.draw(into: &canvas, rect: rect, title: title, theme: theme, glyphs: glyphs, focused: focused)
        guard !inner.isEmpty else { return }
        if a.gates.isEmpty {
            let why = a.state.status == .rolledBack ? "Rolled back: no promotion possible." : "Last stage: nothing to promote to."
            canvas.write(why, x: inner.x + 1, y: inner.y, style: theme.style("text.dim"), maxWidth: inner.width - 1)
            return
        }
        var y = inner.y
        for (index, gate) in a.gates.enumerated() where y < inner.maxY {
            let (symbol, role): (String, String)
            switch gate.outcome {
            case .passed: (symbol, role) = (glyphs.check, "rule.ok")
            case .failed: (symbol, role) = (glyphs.fail, "rule.firing")
            case .inconclusive: (symbol, role) = ("?", "rule.inconclusive")
            }
            var x = inner.x
            let isSelected = focused && index == min(selected, a.gates.count - 1)
            x += canvas.write(isSelected ? glyphs.selectionMarker : " ", x: x, y: y, style: isSelected ? theme.style("selection") : .plain)
            x += canvas.write("\(symbol) ", x: x, y: y, style: theme.style(role))
            let name = gate.gate.label
            x += canvas.write(DisplayWidth.pad(name, toWidth: 19), x: x, y: y, style: theme.style(gate.passed ? "text" : role))
            // A reason wraps onto further lines rather than being cut; when the panel runs out of lines the last one
            // shown ends in an ellipsis (the whole reason is one `enter` away).
            let width = max(8, inner.maxX - x)
            let lines = wrap(SegmentText.shorten(gate.reason, labels: labels), width: width)
            for (i, line) in lines.enumerated() where y < inner.maxY {
                let cut = y == inner.maxY - 1 && i < lines.count - 1
                let text = cut ? DisplayWidth.truncate(line + " " + glyphs.ellipsis, toWidth: width, ellipsis: glyphs.ellipsis) : line
                canvas.write(text, x: x, y: y, style: theme.style(gate.passed ? "text.dim" : "text"), maxWidth: inner.maxX - x)
                y += 1
            }
        }
    }
}
