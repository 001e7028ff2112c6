import GatewatchCore
import GatewatchUI

/// The app's state and its reaction to keys; rendering is a pure function of it.
public struct AppModel: Sendable {
    public var snapshot: ReleaseSnapshot?
    public var releaseScreen = ReleaseScreen()
    public var showingHelp = false
    public var keys: KeyTable
    public var shouldQuit = false

    public init(keys: KeyTable = .default) { self.keys = keys }

    /// Applies a key; returns true when the screen must be redrawn.
    public mutating func handle(_ key: Key) -> Bool {
        guard let action = keys.action(for: key) else { return false }
        let rowCount = snapshot.map { ReleaseScreen.ruleRows($0.analysis).count } ?? 0
        switch action {
        case .quit: shouldQuit = true
        case .help: showingHelp.toggle()
        case .back:
            if showingHelp { showingHelp = false } else { releaseScreen.explaining = false }
        case .explain: releaseScreen.explaining.toggle()
        case .moveDown: releaseScreen.selectedRule = min(max(0, rowCount - 1), releaseScreen.selectedRule + 1)
        case .moveUp: releaseScreen.selectedRule = max(0, releaseScreen.selectedRule - 1)
        case .pageDown: releaseScreen.selectedRule = min(max(0, rowCount - 1), releaseScreen.selectedRule + 10)
        case .pageUp: releaseScreen.selectedRule = max(0, releaseScreen.selectedRule - 10)
        case .top: releaseScreen.selectedRule = 0
        case .bottom: releaseScreen.selectedRule = max(0, rowCount - 1)
        case .redraw: break
        }
        return true
    }

    /// The whole frame for the current state.
    public func render(_ context: RenderContext) -> Canvas {
        var canvas = releaseScreen.render(snapshot, keys: keys, context: context)
        if showingHelp { HelpOverlay.draw(into: &canvas, keys: keys, context: context) }
        return context.glyphs == .ascii ? canvas.asciiOnly() : canvas
    }
}
