import Foundation
import Testing
import GatewatchCore
@testable import GatewatchOpenMetrics
@testable import GatewatchScenario

/// Whole OpenMetrics import messages, pinned: `file:line:column: message (hint: …)`.
@Suite struct OpenMetricsErrorMessageTests {
    static func failure(_ text: String) -> String? {
        do {
            _ = try OpenMetricsParser(requireTimestamps: true).parse(text, file: "bad.om")
            return nil
        } catch let error as InputError {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func messagesWithPositionAndHint() {
        #expect(Self.failure("gatewatch_decisions_total{release=\"r\",arm=\"champion\"} 1 100\n")
            == "bad.om:1:1: gatewatch_decisions_total has no action label (hint: the contract gives gatewatch_decisions_total an action=\"…\" label (DESIGN.md §4))")
        #expect(Self.failure("\ngatewatch_errors_total{release=\"r\",arm=\"canary\"} 1 100\n")
            == "bad.om:2:40: unknown arm \"canary\" (hint: arm=\"champion\" or arm=\"challenger\")")
        #expect(Self.failure("gatewatch_review_queue_depth{release=\"r\"} 5 1762074000000\n")?
            .hasPrefix("bad.om:1:45: timestamp 1762074000000 is too large for seconds (milliseconds?) (hint: ") == true)
        #expect(Self.failure("gatewatch_review_queue_depth{release=\"r\"} 5\n")?
            .hasPrefix("bad.om:1:44: sample has no timestamp; import needs one on every sample (hint: ") == true)
    }

    @Test func aFileThatIsNotUTF8IsPointedAtTheBadByte() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { TestSupport.cleanUp(dir) }
        let path = dir.appendingPathComponent("latin1.om").path
        var bytes = Array("gatewatch_review_queue_depth{release=\"r\"} 5 100\n# caf".utf8)
        bytes.append(0xE9) // "é" in Latin-1
        bytes += Array(" \n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: InputError.self) { try OpenMetricsImporter.read(path) }
        #expect(error.description == "\(path):2:6: the file is not UTF-8 text here (hint: OpenMetrics text is UTF-8; convert the file, e.g. with iconv)")
    }
}
