import Foundation
import GatewatchCore
import GatewatchUI

/// The UI thread's loop: keys in, snapshots from the poller, one frame per change (redraws are coalesced).
public struct AppLoop {
    public var model: AppModel
    /// Checked every turn; a non-nil value ends the loop (a signal arrived).
    public var interrupted: () -> Int32?
    /// Executes a confirmed action (through the action layer) and says what happened; runs on the action worker's
    /// thread and reports its phases (a hook starting) through the last argument.
    public var perform: (@Sendable (OperatorAction, String, ReleaseAnalysis, @escaping @Sendable (String) -> Void) -> ActionLayer.Outcome)?
    /// Runs confirmed actions off this thread, one at a time.
    public let worker = ActionWorker(threadName: "gatewatch action")
    /// Reads reviews off this thread.
    public let reviews = ReviewLoadWorker(threadName: "gatewatch review")
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
        let started = SteadyClock.now()
        var dirty = true
        var lastSecond = Int(SteadyClock.now())
        var messageTimer = MessageTimer()
        model.loadsReviewInBackground = true
        while !model.shouldQuit {
            if let signal = interrupted() { _ = worker.wait(timeout: 15); return signal }
            if let snapshots = poller.take() {
                model.update(snapshots)
                // A fleet opens on its overview.
                if firstPoll, max(snapshots.count, model.expectedReleases ?? 0) > 1, model.screen == .release { model.screen = .overview }
                firstPoll = false
                dirty = true
            }
            if let finished = worker.take() {
                model.message = finished.output.message
                if model.screen == .review { model.refreshReview() }
                poller.wakeNow()
                dirty = true
            } else if let running = worker.running {
                let text = Self.progress(running, now: SteadyClock.now())
                if text != model.message { model.message = text; dirty = true }
            }
            if let loaded = reviews.take() {
                model.finishReview(slug: loaded.release, session: loaded.output)
                dirty = true
            }
            // What the last key asked for (the turn after a key comes at once: the key's effect starts before its frame).
            for effect in model.takeEffects() {
                carryOut(effect)
                dirty = true
            }
            // While a review is read, the footer says so (a key clears a message; this one comes back).
            if worker.running == nil, model.inputMode == .none, let loading = reviews.running {
                let text = "⋯ reading the record of \(loading.release) for its review · \(Int(max(0, SteadyClock.now() - loading.started)))s"
                if text != model.message { model.message = text; dirty = true }
            }
            // A message gives the key hints back after a few seconds.
            let busy = worker.running != nil || reviews.running != nil || model.inputMode != .none
            if messageTimer.expired(model.message, now: SteadyClock.now(), busy: busy) {
                model.message = nil
                dirty = true
            }
            let second = Int(SteadyClock.now())
            if second != lastSecond { lastSecond = second; dirty = true } // ages in the status line
            if dirty {
                let size = screen.size
                let context = RenderContext(width: size.width, height: size.height, theme: model.theme,
                                            glyphs: screen.unicode ? .unicode : .ascii, now: SteadyClock.now())
                screen.present(model.render(context))
                dirty = false
            }
            // Until the first poll is in (for the first few seconds), look for it often: it is what the user is
            // waiting to see.
            let eager = firstPoll && SteadyClock.now() - started < 5
            guard let key = screen.readKey(timeoutMilliseconds: eager ? 10 : 100) else { continue }
            if key == .resize { screen.invalidate(); dirty = true; continue }
            if model.keys.action(for: key) == .redraw { screen.invalidate() }
            if model.handle(key) { dirty = true }
        }
        // An action that was started finishes (its audit event written, its hook run or stopped at its limit).
        _ = worker.wait(timeout: 15)
        return nil
    }

    /// Carries out what a key asked for: an action goes to the action worker, a refusal to the audit log, a review
    /// load to the review worker; what happened comes back as the footer's message.
    mutating func carryOut(_ effect: AppEffect) {
        switch effect {
        case let .auditRefusal(action, why, release):
            guard let refuse, let analysis = model.snapshots.first(where: { $0.analysis.release.slug == release })?.analysis else { return }
            let outcome = refuse(action, why, analysis)
            let labels = SegmentText.labels(analysis.release)
            model.message = "\(action.verb) — blocked: \(SegmentText.shorten(why, labels: labels))" + (outcome.message.contains("could not be written") ? " (not audited: the audit log cannot be written)" : " (refusal audited)")
        case let .perform(action, reason, release):
            if let running = worker.running {
                model.message = "\(action.verb) not started: \(running.verb) of \(running.release) is still running — wait for it"
            } else if let perform, let analysis = model.snapshots.first(where: { $0.analysis.release.slug == release })?.analysisForActions(now: SteadyClock.now()) {
                _ = worker.start(verb: action.verb, release: release, phase: "writing to the registry") { phase in perform(action, reason, analysis, phase) }
                model.message = Self.progress(worker.running, now: SteadyClock.now())
            } else {
                model.message = "\(action.verb): this session cannot write"
            }
        case let .loadReview(slug):
            guard let loader = model.reviewLoader else { return }
            // One load at a time: a second request waits for its turn (it is asked again on the next turn).
            if !reviews.start(verb: "review", release: slug, body: { _ in loader(slug).map { ReviewSession(history: $0) } }) {
                model.effects.append(effect)
            }
        }
    }

    /// The status line while an action runs: what, for which release, what it is doing and for how long.
    static func progress(_ running: ActionWorker.Running?, now: TimeInterval) -> String? {
        guard let running else { return nil }
        return "⋯ \(running.verb) \(running.release): \(running.phase) · \(Int(max(0, now - running.started)))s"
    }
}
