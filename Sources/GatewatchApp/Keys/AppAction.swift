/// What a key asks the app to do.
public enum AppAction: String, Sendable, CaseIterable {
    case quit
    case help
    case back
    case moveDown
    case moveUp
    case pageDown
    case pageUp
    case top
    case bottom
    case redraw
    case explain
    case nextPanel
    case previousPanel
    case sort
    case filter
    case command
    case promote
    case overridePromote
    case rollback
    case acknowledge
    case pauseResume
    case holdRollback
    case audit
    case events
    case review
    case previousEvent
    case nextEvent
    case stepBack
    case stepForward
    case thenNow
    case checklist
    case note
    case signOff
}
