/// How long a status message replaces the key hints: a message is cleared once it has been on screen for
/// `seconds` unchanged (the hints come back), unless an action is still running or a text field is open.
struct MessageTimer {
    static let seconds = 6.0
    private var shown: (text: String, since: Double)?

    /// Called every loop turn with the model's message; true when it has been shown long enough to clear.
    mutating func expired(_ message: String?, now: Double, busy: Bool) -> Bool {
        guard let message else { shown = nil; return false }
        if shown?.text != message || busy { shown = (message, now); return false }
        return now - shown!.since >= Self.seconds
    }
}
