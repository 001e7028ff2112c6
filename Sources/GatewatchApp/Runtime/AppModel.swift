import Foundation
import GatewatchCore
import GatewatchUI

/// Which screen is on top.
public enum ScreenKind: Equatable, Sendable {
    /// One row per release.
    case overview
    /// The release screen of the current release.
    case release
    /// One segment of the current release, drilled into.
    case segment(String)
    /// The audit log of every release watched.
    case audit
    /// The post-release review of the current release.
    case review
}

/// What typed text is being collected for, if anything.
public enum InputMode: Equatable, Sendable {
    case none
    case filter
    case command
    /// A reviewer note on the selected timeline event.
    case note
}

/// The app's state and its reaction to keys; rendering is a pure function of it.
public struct AppModel: Sendable {
    /// The newest snapshot of every release watched.
    public var snapshots: [ReleaseSnapshot] = []
    /// How many releases the sources follow, when known: the overview says how many are still being read.
    public var expectedReleases: Int?
    /// Slug of the release the release screen shows (nil: the first).
    public var currentSlug: String?
    public var screen: ScreenKind = .release
    public var releaseScreen = ReleaseScreen()
    /// The selected release of the overview, by slug (the rows re-sort by health).
    public var overviewSelection = ListSelection<String>()
    /// The overview's order (`s` there).
    public var overviewSort: OverviewSort = .health
    /// The overview's filter (`/` there): releases whose name, stage, owner or health contain it.
    public var overviewFilter = ""
    /// The audit log's order (`s` there).
    public var auditSort: AuditSort = .newest
    public var showingHelp = false
    /// The help's first line shown (the overlay clamps it to its lines).
    public var helpScroll = 0
    /// The events pane is open (`E`): promotions, rollbacks and other people's actions, newest first.
    public var showingEvents = false
    /// The selected event of the events pane, and whether it is open in full.
    public var eventsSelection = ListSelection<AuditScreen.RowID>()
    public var eventsDetail = false
    /// The selected audit event is open in full (`enter` on the audit log).
    public var auditDetail = false
    /// The selected timeline event of the review is open in full (`enter` on the review).
    public var reviewDetail = false
    /// Events that arrived while this session watched, newest first (the events pane marks them new).
    public var notices = NoticeLog()
    public var keys: KeyTable
    public var shouldQuit = false
    public var theme: Theme = .default
    /// Finds a theme by name for `:theme` (the executable wires the themes/ folder in); nil result: unknown.
    public var loadTheme: @Sendable (String) -> (theme: Theme?, message: String?) = { name in
        (Theme.builtIn[name], Theme.builtIn[name] == nil ? "unknown theme '\(name)' (built in: \(Theme.builtIn.keys.sorted().joined(separator: ", ")))" : nil)
    }
    /// The theme names `:theme` completes (the executable adds the themes/ folder's files).
    public var themeNames: @Sendable () -> [String] = { Theme.builtIn.keys.sorted() }
    public var auditFilter = ""
    /// The selected event of the audit log (newest first: a new event shifts every row).
    public var auditSelection = ListSelection<AuditScreen.RowID>()
    public var inputMode: InputMode = .none
    public var input = ""
    /// A one-line message for the footer (command results and errors).
    public var message: String?
    /// Who is acting (the registry's identity, `--as` lowering its role); nil: a viewer with no actions.
    public var actor: Operator?
    /// Who the registry says the user is, for the header; nil draws no badge.
    public var identity: Identity?
    /// The session writes nothing (`--read-only`, a read-only registry), for the header.
    public var readOnly = false

    /// Why a viewer cannot act, and how to get a role.
    var noRole: String {
        guard let identity else { return "viewer: no role" }
        return "viewer; \(identity.note ?? identity.source)"
    }
    /// The open confirm dialog, if any.
    public var dialog: ConfirmDialog?
    /// What keys asked for that the loop carries out (actions, audited refusals, review loads), oldest first.
    public var effects: [AppEffect] = []

    /// The open review, if any.
    public var review: ReviewSession?
    /// Loads the recorded history of a release for the review (wired by the executable to the sources).
    public var reviewLoader: (@Sendable (String) -> ReleaseHistory?)?
    /// Reads a release's audit log again (wired like `reviewLoader`): after a note, a tick or a sign-off only the log
    /// changed, so the review keeps its metric record and its analyses of earlier moments (see `refreshReview`).
    public var reviewEventsLoader: (@Sendable (String) -> [AuditEvent]?)?

    /// Reviews are read off the UI thread (`AppLoop` sets it): `openReview` leaves a `.loadReview` effect for the
    /// loop, and `finishReview` opens what came back. Off (tests, snapshots), a review opens at once.
    public var loadsReviewInBackground = false

    public init(keys: KeyTable = .default) { self.keys = keys }


    /// Hands the loop what keys asked for since it last looked.
    public mutating func takeEffects() -> [AppEffect] {
        defer { effects = [] }
        return effects
    }

    /// The first confirmed action waiting for the loop.
    public var confirmed: (action: OperatorAction, reason: String, release: String)? {
        for case let .perform(action, reason, release) in effects { return (action, reason, release) }
        return nil
    }

    /// The first refusal waiting to be audited.
    public var refused: (action: OperatorAction, why: String, release: String)? {
        for case let .auditRefusal(action, why, release) in effects { return (action, why, release) }
        return nil
    }

    /// The snapshot of the current release.
    public var snapshot: ReleaseSnapshot? {
        get { snapshots.first { $0.analysis.release.slug == currentSlug } ?? snapshots.first }
        set {
            guard let newValue else { snapshots = []; return }
            snapshots = [newValue]
            currentSlug = newValue.analysis.release.slug
        }
    }

    /// The audit events of every release watched.
    public var allEvents: [AuditEvent] { snapshots.flatMap(\.analysis.events) }

    /// Replaces the snapshots after a poll, keeping the current release and the selected item of every list.
    public mutating func update(_ fresh: [ReleaseSnapshot]) {
        if let notice = notices.record(old: snapshots, new: fresh, actor: actor) { message = notice }
        snapshots = fresh
        if currentSlug == nil || !fresh.contains(where: { $0.analysis.release.slug == currentSlug }) {
            currentSlug = fresh.first?.analysis.release.slug
        }
        followSelections()
    }

    /// The overview's rows as shown: sorted and filtered.
    var overviewIDs: [String] { OverviewScreen.ids(snapshots, sort: overviewSort, filter: overviewFilter) }

    /// Keeps each list's selection on its item after the rows changed under it (a poll, a filter).
    mutating func followSelections() {
        // While a fleet is still being read, a cursor no one has moved stays on its row (the top): it takes the
        // release there once every release is in, not the first one that happened to be read.
        if overviewSelection.id != nil || snapshots.count >= expectedReleases ?? 0 {
            overviewSelection.follow(overviewIDs)
        }
        auditSelection.follow(AuditScreen.ids(allEvents, filter: auditFilter, sort: auditSort))
        eventsSelection.follow(EventsPane.ids(allEvents))
        if let a = snapshot?.analysis { releaseScreen.follow(a) }
    }


    /// Applies a key; returns true when the screen must be redrawn. A key goes to the open dialog or text field,
    /// else to the help while it is open, else to the controllers in scope, most specific first (see
    /// `controllers(now:)`); each changes the model and leaves I/O as effects.
    public mutating func handle(_ key: Key) -> Bool {
        if dialog != nil { return handleDialog(key) }
        if inputMode != .none { return handleInput(key) }
        if case .paste = key {
            message = "paste ignored: no text field is open"
            return true
        }
        guard let action = keys.action(for: key) else { return false }
        message = nil
        let now = SteadyClock.now()
        if showingHelp { return handleHelp(action, now: now) }
        // A key that can do nothing here says why (a blocked operator action is tried instead, so it is audited).
        if let (offered, why) = disabledReason(action, now: now) {
            message = "\(KeyHints.key(action, in: keys) ?? action.rawValue) (\(offered.group ?? offered.help)) — \(why)"
            return true
        }
        for controller in controllers(now: now) where controller.handle(action, in: &self) { return true }
        return true
    }

    /// Opens the confirm dialog of an action, or says why it is not possible.
    mutating func open(_ action: OperatorAction) {
        guard screen != .overview, let a = snapshot?.analysisForActions(now: SteadyClock.now()) else {
            message = "open a release first"
            return
        }
        guard let actor else { message = "\(action.verb) — blocked: \(noRole)"; return }
        if let why = ActionLayer.blocker(action, analysis: a, by: actor) {
            // The footer names segments short; the audited refusal keeps the whole label set.
            message = "\(action.verb) — blocked: \(SegmentText.shorten(why, labels: SegmentText.labels(a.release)))"
            effects.append(.auditRefusal(action, why: why, release: a.release.slug))
            return
        }
        dialog = ConfirmDialog(action: action, analysis: a)
    }


    /// The whole frame for the current state.
    public func render(_ context: RenderContext) -> Canvas {
        var context = context
        context.theme = theme
        if context.identity == nil { context.identity = identity }
        context.readOnly = context.readOnly || readOnly || (actor?.readOnly ?? false)
        var canvas: Canvas
        switch screen {
        case .overview:
            canvas = OverviewScreen.render(snapshots, selected: overviewSelection, keys: keys, context: context, expected: expectedReleases,
                                           sort: overviewSort, filter: overviewFilter)
        case .release:
            canvas = releaseScreen.render(snapshot, keys: keys, context: context, actor: actor)
        case .segment(let name):
            canvas = SegmentScreen.render(snapshot, segment: name, keys: keys, context: context)
        case .review:
            if let review {
                canvas = ReviewScreen.render(review, live: snapshot, keys: keys, context: context, detail: reviewDetail)
            } else {
                canvas = releaseScreen.render(snapshot, keys: keys, context: context, actor: actor)
            }
        case .audit:
            canvas = AuditScreen.render(allEvents, filter: auditFilter, selected: auditSelection, health: snapshot?.health, keys: keys, context: context,
                                        detail: auditDetail, sort: auditSort)
        }
        if showingEvents {
            EventsPane.draw(into: &canvas, events: allEvents, notices: notices, selected: eventsSelection, detail: eventsDetail, context: context)
        }
        drawFooterLine(into: &canvas, context: context)
        if let dialog { dialog.draw(into: &canvas, context: context) }
        if showingHelp { HelpOverlay.draw(into: &canvas, sections: helpSections(now: context.now), scroll: helpScroll, keys: keys, context: context) }
        return context.glyphs == .ascii ? canvas.asciiOnly() : canvas
    }

    /// The input line or the message replaces the key hints on the footer row.
    func drawFooterLine(into canvas: inout Canvas, context: RenderContext) {
        guard context.height >= 2 else { return }
        let row = Rect(x: 0, y: context.height - 2, width: context.width, height: 1)
        switch inputMode {
        case .filter, .command, .note:
            canvas.fill(row, style: .plain)
            let prompt = inputMode == .filter ? "/" : (inputMode == .note ? "note: " : ":")
            let x = canvas.write(prompt + input, x: 1, y: row.y, style: theme.style("text"), maxWidth: context.width - 2)
            canvas.write("█", x: 1 + x, y: row.y, style: theme.style("text.dim"))
            if let message, x + 4 < context.width {
                canvas.writeTruncated("  " + message, x: 2 + x, y: row.y, style: theme.style("warning"), maxWidth: context.width - 3 - x)
            }
        case .none:
            if let message {
                canvas.fill(row, style: .plain)
                // A message longer than the line ends in `…` (a blocked key's whole reason is in the help, `?`).
                canvas.writeTruncated(message, x: 1, y: row.y, style: theme.style("warning"), maxWidth: context.width - 2)
            }
        }
    }
}
