import Foundation
import Testing
import GatewatchCore
@testable import GatewatchMLflow

/// State tags with values no writer produces, as an MLflow server can hold them (anyone with edit rights can write
/// tags): each is a clear error from the registry, not a state that crashes the analysis that reads it next.
/// Found by running hand-made state tags through the `mlflow` fuzz target, which analyses what it reads; the bodies
/// are in its corpus as Tests/Fuzz/corpus/mlflow/regression-state-*.json.
@Suite struct MLflowReleaseTagsTests {
    static let slug = "fraud-scoring-v8"
    static let place = "model 'card-fraud-scorer' version 8"

    /// The release's tags as `create` writes them: the spec of the healthy scenario and one state tag.
    static func tags(state: String, writtenAt: String = "1795668099") throws -> MLflowReleaseTags {
        let release = try TestSupport.healthyScenario().release
        let pieces = MLflowTagLayout.chunks(try MLflowTagLayout.json(release))
        var tags = [MLflowREST.Tag(key: MLflowTagLayout.specCountKey(slug), value: String(pieces.count))]
        for (i, piece) in pieces.enumerated() { tags.append(MLflowREST.Tag(key: MLflowTagLayout.specKey(slug, i), value: piece)) }
        tags.append(MLflowREST.Tag(key: MLflowTagLayout.stateKey(slug, version: 1, token: "adfb9a1c463b"),
                                   value: #"{"state":\#(state),"written_at":\#(writtenAt)}"#))
        return MLflowReleaseTags(slug: slug, place: place, tags: tags)
    }

    static func state(stageIndex: String = "0", stageEnteredAt: String = "1793610000", startedAt: String = "1793610000") -> String {
        #"{"stageEnteredAt":\#(stageEnteredAt),"stageIndex":\#(stageIndex),"startedAt":\#(startedAt),"status":"running","version":1}"#
    }

    static func message(_ tags: MLflowReleaseTags) -> String {
        do {
            let state = try tags.state()
            return "no error: \(String(describing: state))"
        } catch {
            return "\(error)"
        }
    }

    @Test func aSoundStateReads() throws {
        let tags = try Self.tags(state: Self.state(stageIndex: "5"))
        #expect(try tags.state()?.stageIndex == 5)
        #expect(try tags.release()?.stages.count == 6)
    }

    @Test func aStageIndexOutsideTheStagePlanIsAnError() throws {
        let negative = Self.message(try Self.tags(state: Self.state(stageIndex: "-3")))
        #expect(negative.contains("state tag gatewatch.fraud-scoring-v8.state.00000001.adfb9a1c463b on \(Self.place) has the stage index -3, not a stage"), "\(negative)")
        let past = Self.message(try Self.tags(state: Self.state(stageIndex: "6")))
        #expect(past.contains("is at stage index 6, but the spec of release 'fraud-scoring-v8' has 6 stages (0–5)"), "\(past)")
        let largest = Self.message(try Self.tags(state: Self.state(stageIndex: "9223372036854775807")))
        #expect(largest.contains("is at stage index 9223372036854775807"), "\(largest)")
    }

    @Test func timesOutOfRangeAreErrors() throws {
        let entered = Self.message(try Self.tags(state: Self.state(stageEnteredAt: "-9223372036854775808")))
        #expect(entered.contains("has stageEnteredAt -9223372036854775808, not a time in seconds"), "\(entered)")
        let started = Self.message(try Self.tags(state: Self.state(startedAt: "-9223372036854775808")))
        #expect(started.contains("has startedAt -9223372036854775808, not a time in seconds"), "\(started)")
        // `create` subtracts written_at from the clock to tell an abandoned create from one in progress.
        let written = try Self.tags(state: Self.state(), writtenAt: "-9223372036854775808")
        #expect(throws: RegistryError.self) { try MLflowReleaseTags.decodeState(written.states[0], place: Self.place, slug: Self.slug) }
        #expect(Self.message(written).contains("has written_at -9223372036854775808, not a time in seconds"))
    }
}
