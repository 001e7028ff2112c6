import Foundation
import GatewatchCore
import GatewatchUI

/// The UI thread's loop: keys in, snapshots from the poller, one frame per change (redraws are coalesced).
public struct AppLoop {
    public var model: AppModel
    /// Checked every turn; a non-nil value ends the loop (a signal arrived).
    public var interrupted: () -> Int32?
    /// Executes a confirmed action (through the action layer) and says what happened.
    public var perform: ((OperatorAction, String, ReleaseAnalysis) -> ActionLayer.Outcome)?
    /// Writes a refusal (action, why) to the audit log and says what happened.
    public var refuse: ((OperatorAction, String, ReleaseAnalysis) -> ActionLayer.Outcome)?

    public init(model: AppModel = AppModel(), theme: Theme, interrupted: @escaping () -> Int32?) {
        self.model = model
        self.model.theme = theme
        self.interrupted = interrupted
    }

    /// Runs until `q` or a signal; returns the signal number, or nil when the user quit.
    public mutating func run(screen: TerminalScreen, poller: Poller) -> Int32? {
        // The first frame does not wait for the sources: until their first poll is in, the screen says so and
        // keys work (q quits a dashboard whose source hangs).
        var firstPoll = model.snapshots.isEmpty
        let started = Date().timeIntervalSince1970
        var dirty = true
        var lastSecond = Int(Date().timeIntervalSince1970)
        while !model.shouldQuit {
            if let signal = interrupted() { return signal }
            if let snapshots = poller.take() {
                model.update(snapshots)
                // A fleet opens on its overview.
                if firstPoll, max(snapshots.count, model.expectedReleases ?? 0) > 1, model.screen == .release { model.screen = .overview }
                firstPoll = false
                dirty = true
            }
            let second = Int(Date().timeIntervalSince1970)
            if second != lastSecond { lastSecond = second; dirty = true } // ages in the status line
            if dirty {
                let size = screen.size
                let context = RenderContext(width: size.width, height: size.height, theme: model.theme,
                                            glyphs: screen.unicode ? .unicode : .ascii, now: Date().timeIntervalSince1970)
                screen.present(model.render(context))
                dirty = false
            }
            // Until the first poll is in (for the first few seconds), look for it often: it is what the user is
            // waiting to see.
            let eager = firstPoll && Date().timeIntervalSince1970 - started < 5
            guard let key = screen.readKey(timeoutMilliseconds: eager ? 10 : 100) else { continue }
            if key == .resize { screen.invalidate(); dirty = true; continue }
            if model.keys.action(for: key) == .redraw { screen.invalidate() }
            if model.handle(key) { dirty = true }
            if let refused = model.refused {
                model.refused = nil
                if let refuse, let analysis = model.snapshots.first(where: { $0.analysis.release.slug == refused.release })?.analysis {
                    let outcome = refuse(refused.action, refused.why, analysis)
                    model.message = "\(refused.action.verb) — blocked: \(refused.why)" + (outcome.message.contains("could not be written") ? " (not audited: the audit log cannot be written)" : " (refusal audited)")
                }
                dirty = true
            }
            if let confirmed = model.confirmed {
                model.confirmed = nil
                if let perform, let analysis = model.snapshots.first(where: { $0.analysis.release.slug == confirmed.release })?
                    .analysisForActions(now: Date().timeIntervalSince1970) {
                    model.message = perform(confirmed.action, confirmed.reason, analysis).message
                    if model.screen == .review { model.refreshReview() }
                    poller.wakeNow()
                } else {
                    model.message = "\(confirmed.action.verb): this session cannot write"
                }
                dirty = true
            }
        }
        return nil
    }
}
