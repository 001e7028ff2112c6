import GatewatchCore

/// The values a stored rollout state may hold. A row can be edited by anyone with write access to the file; values no
/// writer produces (a stage outside the spec, a time or version out of any plausible range) are reported, not
/// passed on to an analysis that would index past the stage plan or overflow subtracting them from the clock.
enum StoredStateCheck {
    /// Times must be within this many seconds of the epoch (about 3,000 years either way), the bound MLflow's state
    /// tags are held to (`MLflowReleaseTags.timeLimit`).
    static let timeLimit: Int64 = 100_000_000_000
    /// Versions count writes, one at a time from 0: anything above this was not counted.
    static let versionLimit: Int64 = 1_000_000_000_000_000

    /// What is wrong with `state` of a release with `stages` stages (nil: nothing), naming the field and its value.
    static func problem(_ state: RolloutState, stages: Int?) -> String? {
        if state.stageIndex < 0 || stages.map({ state.stageIndex >= $0 }) == true {
            let plan = stages.map { $0 > 0 ? "stages 0–\($0 - 1)" : "no stages" } ?? "a stage index from 0"
            return "stageIndex \(state.stageIndex) is not a stage of its spec (\(plan))"
        }
        for (field, time) in [("stageEnteredAt", state.stageEnteredAt), ("startedAt", state.startedAt)]
        where !(-timeLimit...timeLimit).contains(time) {
            return "\(field) \(time) is not a time in seconds"
        }
        if !(0...versionLimit).contains(state.version) {
            return "version \(state.version) is not a count of writes (0 to \(versionLimit))"
        }
        return nil
    }
}
