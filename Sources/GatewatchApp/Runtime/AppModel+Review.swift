import GatewatchCore

/// The post-release review's life in the model: opened (read off the UI thread by the loop), refreshed after a note,
/// a tick or a sign-off; its keys are `ReviewController`'s.
extension AppModel {
    /// Opens the review of the current release (or `slug`).
    public mutating func openReview(_ slug: String? = nil) {
        guard let slug = slug ?? snapshot?.analysis.release.slug else { message = "open a release first"; return }
        guard let loader = reviewLoader else { message = "review is not available for this source"; return }
        if loadsReviewInBackground {
            effects.append(.loadReview(slug))
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
        reviewDetail = false
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


    /// Role and read-only checks of an action that needs no analysis.
    static func refusal(_ action: OperatorAction, by op: Operator) -> String? {
        if op.readOnly { return "read-only session" }
        if !action.allowedRoles.contains(op.role) {
            return "\(op.role.rawValue) may not \(action.verb) (needs \(action.allowedRoles.map(\.rawValue).sorted().joined(separator: " or ")))"
        }
        return nil
    }


    /// Why the actor may not take a review action (`note`, a tick) on `release`; a refusal by someone with a role is
    /// left to be audited. Nil: allowed.
    mutating func reviewRefusal(_ action: OperatorAction, release: String) -> String? {
        guard let actor else { return noRole }
        guard let why = Self.refusal(action, by: actor) else { return nil }
        effects.append(.auditRefusal(action, why: why, release: release))
        return why
    }
}
