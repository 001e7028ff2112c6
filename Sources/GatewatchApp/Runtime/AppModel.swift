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
    /// The audit log's order (`s` there).
    public var auditSort: AuditSort = .newest
    public var showingHelp = false
    /// The help's first line shown (the overlay clamps it to its lines).
    public var helpScroll = 0
    /// The events pane is open (`E`): promotions, rollbacks and other people's actions, newest first.
    public var showingEvents = false
    /// The selected audit event is open in full (`enter` on the audit log).
    public var auditDetail = false
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
    /// An action confirmed by the operator, waiting for the loop to execute it through the action layer.
    public var confirmed: (action: OperatorAction, reason: String, release: String)?
    /// An action refused before its dialog opened (role, read-only, a gate), waiting for the loop to write the
    /// refusal to the audit log: a refusal on the dashboard is audited like one from the command line.
    public var refused: (action: OperatorAction, why: String, release: String)?

    /// The open review, if any.
    public var review: ReviewSession?
    /// Loads the recorded history of a release for the review (wired by the executable to the sources).
    public var reviewLoader: (@Sendable (String) -> ReleaseHistory?)?
    /// Reads a release's audit log again (wired like `reviewLoader`): after a note, a tick or a sign-off only the log
    /// changed, so the review keeps its metric record and its analyses of earlier moments (see `refreshReview`).
    public var reviewEventsLoader: (@Sendable (String) -> [AuditEvent]?)?

    /// Reviews are read off the UI thread (`AppLoop` sets it): `openReview` leaves a request in `reviewRequest` for
    /// the loop, and `finishReview` opens what came back. Off (tests, snapshots), a review opens at once.
    public var loadsReviewInBackground = false
    /// The release whose review the loop should load.
    public var reviewRequest: String?

    public init(keys: KeyTable = .default) { self.keys = keys }

    /// Opens the review of the current release (or `slug`).
    public mutating func openReview(_ slug: String? = nil) {
        guard let slug = slug ?? snapshot?.analysis.release.slug else { message = "open a release first"; return }
        guard let loader = reviewLoader else { message = "review is not available for this source"; return }
        if loadsReviewInBackground {
            reviewRequest = slug
            message = "⋯ reading the record of \(slug) for its review"
            return
        }
        finishReview(slug: slug, session: loader(slug).map { ReviewSession(history: $0) })
    }

    /// Opens a review that was read (or says there was nothing to read).
    public mutating func finishReview(slug: String, session: ReviewSession?) {
        guard let session else { message = "no recorded history for \(slug)"; return }
        if message?.hasPrefix("⋯ reading the record") == true { message = nil }
        currentSlug = slug
        review = session
        screen = .review
    }

    /// Reloads the review's history after a note, a tick or a sign-off, keeping the cursor.
    /// Only the audit log is read again when it can be (the record under review stays the one opened; `R` or
    /// `:review` opens a fresh one).
    public mutating func refreshReview() {
        guard let session = review else { return }
        let slug = session.history.release.slug
        if let events = reviewEventsLoader?(slug) {
            review = session.reloaded(with: session.history.replacingEvents(events))
        } else if let history = reviewLoader?(slug) {
            review = session.reloaded(with: history)
        }
    }

    /// Keys of the review screen; returns nil for keys it leaves to the common handling.
    mutating func handleReview(_ action: AppAction) -> Bool? {
        guard screen == .review, var session = review else { return nil }
        defer { review = session }
        let inChecklist = session.view == .checklist
        // In then-and-now the list keys scroll its table; `[` `]` `{` `}` still move in time.
        if session.view == .thenNow {
            switch action {
            case .moveUp: session.scrollThenNow(by: -1); return true
            case .moveDown: session.scrollThenNow(by: 1); return true
            case .pageUp: session.scrollThenNow(by: -10); return true
            case .pageDown: session.scrollThenNow(by: 10); return true
            default: break
            }
        }
        switch action {
        case .previousEvent: session.moveEvent(by: -1)
        case .nextEvent: session.moveEvent(by: 1)
        case .moveUp: if inChecklist { session.checklistSelection = max(0, session.checklistSelection - 1) } else { session.moveEvent(by: -1) }
        case .moveDown:
            if inChecklist { session.checklistSelection = min(ReviewChecklist.items.count - 1, session.checklistSelection + 1) }
            else { session.moveEvent(by: 1) }
        case .pageUp: session.moveEvent(by: -10)
        case .pageDown: session.moveEvent(by: 10)
        case .stepBack: session.step(by: -1)
        case .stepForward: session.step(by: 1)
        case .top: session.moveToEnd(false)
        case .bottom: session.moveToEnd(true)
        case .thenNow: session.show(.thenNow)
        case .checklist: session.show(.checklist)
        case .back:
            if showingEvents { showingEvents = false }
            else if session.view != .dashboard { session.show(session.view) }
            else { screen = .release }
        case .note:
            guard let event = session.selected else { message = "no event to attach a note to"; break }
            if let why = actor.flatMap({ Self.refusal(.note(reference: event.reference), by: $0) }) ?? (actor == nil ? noRole : nil) {
                message = "note — blocked: \(why)"
                if actor != nil { refused = (.note(reference: event.reference), why, session.history.release.slug) }
                break
            }
            inputMode = .note
            input = ""
        case .pauseResume:
            guard inChecklist else { message = "space ticks checklist items (open the checklist with \(KeyHints.key(.checklist, in: keys) ?? "c"))"; break }
            let item = ReviewChecklist.items[session.checklistSelection]
            let action = OperatorAction.reviewCheck(item: item, checked: session.checklist.ticked[item] == nil)
            if let why = actor.flatMap({ Self.refusal(action, by: $0) }) ?? (actor == nil ? noRole : nil) {
                message = "\(action.verb) — blocked: \(why)"
                if actor != nil { refused = (action, why, session.history.release.slug) }
                break
            }
            confirmed = (action, "", session.history.release.slug)
        case .signOff:
            guard let live = snapshot?.analysis else { message = "sign off: the release is not loaded"; break }
            var a = live
            a.events = session.history.events
            if let op = actor, let why = ActionLayer.blocker(.signOff, analysis: a, by: op) {
                message = "sign off — blocked: \(why)"
                refused = (.signOff, why, session.history.release.slug)
                break
            }
            guard actor != nil else { message = "sign off — blocked: \(noRole)"; break }
            dialog = ConfirmDialog(action: .signOff, analysis: a)
        case .promote, .overridePromote, .rollback, .acknowledge:
            message = "actions work on the live screen (\(KeyHints.key(.back, in: keys) ?? "esc") leaves the review)"
        default:
            return nil
        }
        return true
    }

    /// Role and read-only checks of an action that needs no analysis.
    static func refusal(_ action: OperatorAction, by op: Operator) -> String? {
        if op.readOnly { return "read-only session" }
        if !action.allowedRoles.contains(op.role) {
            return "\(op.role.rawValue) may not \(action.verb) (needs \(action.allowedRoles.map(\.rawValue).sorted().joined(separator: " or ")))"
        }
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

    /// Keeps each list's selection on its item after the rows changed under it (a poll, a filter).
    mutating func followSelections() {
        // While a fleet is still being read, a cursor no one has moved stays on its row (the top): it takes the
        // release there once every release is in, not the first one that happened to be read.
        if overviewSelection.id != nil || snapshots.count >= expectedReleases ?? 0 {
            overviewSelection.follow(OverviewScreen.ids(snapshots, sort: overviewSort))
        }
        auditSelection.follow(AuditScreen.ids(allEvents, filter: auditFilter, sort: auditSort))
        if let a = snapshot?.analysis { releaseScreen.follow(a) }
    }

    /// Applies a key; returns true when the screen must be redrawn.
    public mutating func handle(_ key: Key) -> Bool {
        if dialog != nil { return handleDialog(key) }
        if inputMode != .none { return handleInput(key) }
        if case .paste = key {
            message = "paste ignored: no text field is open"
            return true
        }
        guard let action = keys.action(for: key) else { return false }
        message = nil
        if showingHelp { return handleHelp(action, now: SteadyClock.now()) }
        if action == .events || (action == .back && showingEvents) {
            showingEvents.toggle()
            if showingEvents { notices.markSeen() }
            return true
        }
        // A key that can do nothing here says why (a blocked operator action is tried instead, so it is audited).
        if let (offered, why) = disabledReason(action, now: SteadyClock.now()) {
            message = "\(KeyHints.key(action, in: keys) ?? action.rawValue) (\(offered.group ?? offered.help)) — \(why)"
            return true
        }
        if let handled = handleReview(action) { return handled }
        let analysis = snapshot?.analysis
        switch action {
        case .quit: shouldQuit = true
        case .help: showingHelp = true; helpScroll = 0
        case .events: break
        case .back:
            if auditDetail, screen == .audit { auditDetail = false }
            else if releaseScreen.explaining { releaseScreen.explaining = false }
            else if case .segment = screen { screen = .release }
            else if screen == .audit || screen == .review { screen = .release }
            else if screen == .release, max(snapshots.count, expectedReleases ?? 0) > 1 { screen = .overview }
        case .explain:
            switch screen {
            case .overview:
                if let slug = overviewSelection.selected(in: OverviewScreen.ids(snapshots, sort: overviewSort)) {
                    currentSlug = slug
                    screen = .release
                }
            case .release:
                if releaseScreen.focus == .segments, let a = analysis {
                    if let segment = releaseScreen.selectedSegment.selected(in: releaseScreen.segmentIDs(a)) { screen = .segment(segment ?? "overall") }
                } else if releaseScreen.focus == .rules || releaseScreen.focus == .gates {
                    releaseScreen.explaining.toggle()
                }
            case .audit: auditDetail.toggle()
            case .segment, .review: break
            }
        case .nextPanel, .previousPanel:
            let all = PanelKind.allCases
            let i = all.firstIndex(of: releaseScreen.focus)!
            releaseScreen.focus = all[(i + (action == .nextPanel ? 1 : all.count - 1)) % all.count]
            releaseScreen.explaining = false
        case .sort:
            // The list in view: the overview, the audit log, or the focused panel (the controllers refuse the rest).
            if screen == .overview {
                overviewSort = overviewSort.next
                message = "releases sorted: \(overviewSort.rawValue)"
            } else if screen == .audit {
                auditSort = auditSort.next
                message = "audit log sorted: \(auditSort.rawValue)"
            } else if releaseScreen.focus == .rules {
                releaseScreen.ruleSort = releaseScreen.ruleSort.next
                message = "stop rules sorted: \(releaseScreen.ruleSort.rawValue)"
            } else {
                releaseScreen.segmentSort = releaseScreen.segmentSort.next
                if let a = analysis { releaseScreen.selectedSegment.follow(releaseScreen.segmentIDs(a)) }
                message = "segments sorted by \(releaseScreen.segmentSort.rawValue)"
            }
        case .filter:
            if screen == .audit {
                inputMode = .filter
                input = auditFilter
                break
            }
            releaseScreen.focus = .segments
            inputMode = .filter
            input = releaseScreen.segmentFilter
        case .command:
            inputMode = .command
            input = ""
        case .moveDown, .moveUp, .pageDown, .pageUp, .top, .bottom:
            move(action)
        case .redraw: break
        case .audit: screen = .audit; auditDetail = false
        case .review: openReview()
        case .previousEvent, .nextEvent, .stepBack, .stepForward, .thenNow, .checklist, .note, .signOff:
            message = "\(KeyHints.key(action, in: keys) ?? action.rawValue) works on the review screen (\(KeyHints.key(.review, in: keys) ?? ":review") opens it)"
        case .promote: open(.promote)
        case .overridePromote: open(.overridePromote)
        case .rollback: open(.rollback)
        case .pauseResume: open(analysis?.state.status == .paused ? .resume : .pause)
        case .holdRollback:
            let held = analysis.flatMap { $0.state.activeRollbackHold(at: $0.asOf) } != nil
            open(held ? .endRollbackHold : .holdRollback(seconds: RollbackHold.defaultSeconds))
        case .acknowledge:
            guard let a = analysis else { break }
            guard let e = releaseScreen.selectedRuleRow(a) else { message = "no stop rules"; break }
            open(.acknowledge(rule: e.rule.name, segment: e.segment))
        }
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
            message = "\(action.verb) — blocked: \(why)"
            refused = (action, why, a.release.slug)
            return
        }
        dialog = ConfirmDialog(action: action, analysis: a)
    }

    /// Keys inside the confirm dialog: typing goes to the reason (or the release name), tab switches the focused
    /// button (and the field when a name is required), enter chooses, esc cancels. A paste goes into the field as
    /// text (line breaks and tabs as spaces, other control characters left out): it never confirms, cancels or
    /// moves the focus.
    mutating func handleDialog(_ key: Key) -> Bool {
        guard var d = dialog else { return false }
        d.error = nil
        switch key {
        case .escape:
            dialog = nil
            message = "\(d.action.verb) cancelled"
            return true
        case .tab, .backTab, .left, .right:
            if key == .tab, d.requiredName != nil, !d.typingName, d.focus == .cancel { d.typingName = true }
            else {
                d.typingName = false
                d.focus = d.focus == .cancel ? .confirm : .cancel
            }
        case .enter:
            if d.focus == .cancel {
                dialog = nil
                message = "\(d.action.verb) cancelled"
                return true
            }
            if let problem = d.problem {
                d.error = problem
            } else if let slug = snapshot?.analysis.release.slug {
                confirmed = (d.action, d.reason, slug)
                dialog = nil
                return true
            }
        case .backspace, .delete:
            if d.typingName { if !d.typedName.isEmpty { d.typedName.removeLast() } }
            else if !d.reason.isEmpty { d.reason.removeLast() }
        case .character(let c):
            if d.typingName { if d.typedName.count < Self.nameLimit { d.typedName.append(c) } }
            else if d.reason.count < Self.reasonLimit { d.reason.append(c) }
        case .paste(let pasted):
            if d.typingName {
                d.error = Self.pasteNote(pasted.insert(into: &d.typedName, limit: Self.nameLimit), pasted, field: "the name field", limit: Self.nameLimit)
            } else {
                d.error = Self.pasteNote(pasted.insert(into: &d.reason, limit: Self.reasonLimit), pasted, field: "the reason", limit: Self.reasonLimit)
            }
        default:
            return false
        }
        dialog = d
        return true
    }

    /// Moves the selection of the list in view by a row, a page, or to its start or end, among the rows as shown now.
    mutating func move(_ action: AppAction) {
        func step<ID>(_ selection: inout ListSelection<ID>, _ ids: [ID]) {
            switch action {
            case .moveDown: selection.move(by: 1, in: ids)
            case .moveUp: selection.move(by: -1, in: ids)
            case .pageDown: selection.move(by: 10, in: ids)
            case .pageUp: selection.move(by: -10, in: ids)
            case .top: selection.select(row: 0, in: ids)
            case .bottom: selection.select(row: ids.count - 1, in: ids)
            default: break
            }
        }
        if screen == .overview {
            step(&overviewSelection, OverviewScreen.ids(snapshots, sort: overviewSort))
        } else if screen == .audit {
            step(&auditSelection, AuditScreen.ids(allEvents, filter: auditFilter, sort: auditSort))
        } else if let a = snapshot?.analysis {
            switch releaseScreen.focus {
            case .segments: step(&releaseScreen.selectedSegment, releaseScreen.segmentIDs(a))
            case .gates: step(&releaseScreen.selectedGate, a.gates.map(\.gate))
            default: step(&releaseScreen.selectedRule, releaseScreen.shownRuleIDs(a))
            }
        }
    }

    /// Characters the confirm dialog's reason and name fields, the filter and command line, and a note hold.
    static let reasonLimit = 500, nameLimit = 200, inputLimit = 200, noteLimit = 1000

    /// What the operator should know about a paste that went into a field, or nil when all of it went in as typed.
    static func pasteNote(_ result: PastedText.Insertion, _ pasted: PastedText, field: String, limit: Int) -> String? {
        var notes: [String] = []
        if result.isShort { notes.append("pasted \(result.inserted) of \(result.offered) characters: \(field) holds \(limit)") }
        if result.controlsDropped > 0 {
            notes.append("\(result.controlsDropped) control character\(result.controlsDropped == 1 ? "" : "s") left out")
        }
        if pasted.unterminated { notes.append("the paste had no end marker") }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// Typed text for the filter or the command line: enter applies, esc cancels, backspace deletes. A paste goes in
    /// as text (line breaks and tabs as spaces, other control characters left out) and never applies or cancels.
    mutating func handleInput(_ key: Key) -> Bool {
        message = nil
        switch key {
        case .escape:
            inputMode = .none
            input = ""
        case .tab where inputMode == .command:
            complete()
            return true
        case .enter:
            let text = input
            let mode = inputMode
            inputMode = .none
            input = ""
            if mode == .note {
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { message = "note cancelled: empty" }
                else if let session = review, let event = session.selected {
                    confirmed = (.note(reference: event.reference), trimmed, session.history.release.slug)
                }
            } else if mode == .filter, screen == .audit {
                auditFilter = text
                followSelections()
            } else if mode == .filter {
                releaseScreen.segmentFilter = text
                followSelections()
            } else {
                run(command: text)
            }
        case .backspace, .delete:
            if !input.isEmpty { input.removeLast() }
        case .character(let c):
            if input.count < (inputMode == .note ? Self.noteLimit : Self.inputLimit) { input.append(c) }
        case .paste(let pasted):
            let limit = inputMode == .note ? Self.noteLimit : Self.inputLimit
            let field = inputMode == .note ? "the note" : (inputMode == .filter ? "the filter" : "the command line")
            message = Self.pasteNote(pasted.insert(into: &input, limit: limit), pasted, field: field, limit: limit)
        case .control("u"):
            input = ""
        default:
            return false
        }
        if inputMode == .filter { if screen == .audit { auditFilter = input } else { releaseScreen.segmentFilter = input } }
        return true
    }

    /// `tab` on the `:` line: completes the verb or its argument, listing the candidates when there are several.
    mutating func complete() {
        let done = CommandCompletion.complete(input, releases: snapshots.map(\.analysis.release.slug).sorted(), themes: themeNames())
        input = String(done.line.prefix(Self.inputLimit))
        message = done.candidates.count > 1 ? done.candidates.joined(separator: "  ") : (done.candidates.isEmpty ? "nothing to complete" : nil)
    }

    /// Runs a `:` command.
    mutating func run(command text: String) {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first else { return }
        switch verb {
        case "q", "quit": shouldQuit = true
        case "releases", "overview": screen = .overview
        case "review":
            openReview(words.count > 1 ? words[1] : nil)
        case "audit":
            screen = .audit
            auditDetail = false
            if words.count > 1 { auditFilter = words.dropFirst().joined(separator: " ") }
        case "release":
            guard words.count > 1 else { message = "usage: :release NAME"; return }
            let name = words[1]
            if snapshots.contains(where: { $0.analysis.release.slug == name }) {
                currentSlug = name
                screen = .release
            } else {
                message = "no release '\(name)' (known: \(snapshots.map(\.analysis.release.slug).joined(separator: ", ")))"
            }
        case "help": showingHelp = true; helpScroll = 0
        case "events": showingEvents = true; notices.markSeen()
        case "theme":
            guard words.count > 1 else { message = "usage: :theme NAME (tab completes: \(themeNames().joined(separator: " ")))"; return }
            let result = loadTheme(words[1])
            if let theme = result.theme { self.theme = theme }
            message = result.message ?? "theme \(words[1])"
        default:
            message = "unknown command ':\(verb)' (try \(CommandCompletion.verbs.joined(separator: ", ")); tab completes)"
        }
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
                                           sort: overviewSort)
        case .release:
            canvas = releaseScreen.render(snapshot, keys: keys, context: context, actor: actor)
        case .segment(let name):
            canvas = SegmentScreen.render(snapshot, segment: name, keys: keys, context: context)
        case .review:
            if let review {
                canvas = ReviewScreen.render(review, live: snapshot, keys: keys, context: context)
            } else {
                canvas = releaseScreen.render(snapshot, keys: keys, context: context, actor: actor)
            }
        case .audit:
            canvas = AuditScreen.render(allEvents, filter: auditFilter, selected: auditSelection, health: snapshot?.health, keys: keys, context: context,
                                        detail: auditDetail, sort: auditSort)
        }
        if showingEvents { EventsPane.draw(into: &canvas, events: allEvents, notices: notices, context: context) }
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
                canvas.write("  " + message, x: 2 + x, y: row.y, style: theme.style("warning"), maxWidth: context.width - 3 - x)
            }
        case .none:
            if let message {
                canvas.fill(row, style: .plain)
                canvas.write(message, x: 1, y: row.y, style: theme.style("warning"), maxWidth: context.width - 2)
            }
        }
    }
}
