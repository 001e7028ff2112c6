import Foundation
import GatewatchCore
import GatewatchUI

/// Typed text: the confirm dialog's fields, the `/` filter, the `:` command line and a reviewer's note.
extension AppModel {
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
                effects.append(.perform(d.action, reason: d.reason, release: slug))
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
            // esc leaves the line; on the filter it also clears the filter (k9s), so what esc shows is the whole list.
            if inputMode == .filter { filterText = ""; followSelections() }
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
                    effects.append(.perform(.note(reference: event.reference), reason: trimmed, release: session.history.release.slug))
                }
            } else if mode == .filter {
                filterText = text
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
        if inputMode == .filter { filterText = input }
        return true
    }

    /// What `/` filters on the screen in view: the releases of the overview, the audit log, or the segments.
    var filterText: String {
        get {
            switch screen {
            case .overview: return overviewFilter
            case .audit: return auditFilter
            default: return releaseScreen.segmentFilter
            }
        }
        set {
            switch screen {
            case .overview: overviewFilter = newValue
            case .audit: auditFilter = newValue
            default: releaseScreen.segmentFilter = newValue
            }
        }
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
        case "events": showingEvents = true; eventsDetail = false; eventsSelection = ListSelection(); notices.markSeen()
        case "theme":
            guard words.count > 1 else { message = "usage: :theme NAME (tab completes: \(themeNames().joined(separator: " ")))"; return }
            let result = loadTheme(words[1])
            if let theme = result.theme { self.theme = theme }
            message = result.message ?? "theme \(words[1])"
        default:
            message = "unknown command ':\(verb)' (try \(CommandCompletion.verbs.joined(separator: ", ")); tab completes)"
        }
    }

}
