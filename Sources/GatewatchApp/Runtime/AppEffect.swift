import GatewatchCore

/// Work a key asks for that the model does not do itself: the loop carries it out off the UI thread (or writes it to
/// the audit log) and the result comes back as a message. Key handling only returns these; it never does I/O.
public enum AppEffect: Equatable, Sendable {
    /// An action the operator confirmed (a dialog, a tick, a note), to run through the action layer.
    case perform(OperatorAction, reason: String, release: String)
    /// An action refused before its dialog opened (role, read-only, a gate): written to the audit log like a refusal
    /// on the command line.
    case auditRefusal(OperatorAction, why: String, release: String)
    /// Read a release's record for its review.
    case loadReview(String)
}
