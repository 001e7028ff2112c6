import Foundation
import Testing
@testable import GatewatchCore

/// P(Dₙ ≥ d) against `scipy.stats.kstwo.sf` on Tests/Reference/kstwo.json (Tests/Reference/kstwo.py, scipy 1.17.1):
/// every branch scipy takes, n from 1 to 10⁶, to 1e-9 relative (1e-300 absolute where scipy's value is subnormal).
@Suite struct KolmogorovReferenceTests {
    struct Reference: Decodable {
        struct Case: Decodable { var n: Int; var d: String; var sf: String }
        var scipy: String
        var cases: [Case]
    }

    static func reference() throws -> Reference {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/kstwo.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    @Test func survivalMatchesScipyToOnePartInABillion() throws {
        let ref = try Self.reference()
        #expect(ref.cases.count > 400)
        var worst = (relative: 0.0, n: 0, d: 0.0)
        var failures: [String] = []
        for c in ref.cases {
            let d = try #require(Double(c.d)), expected = try #require(Double(c.sf))
            let p = KolmogorovDistribution.survival(d, n: c.n)
            // Below 1e-300 doubles are subnormal and carry fewer digits: there the agreement is absolute.
            let relative = expected < 1e-300 ? (abs(p - expected) <= 1e-300 ? 0 : .infinity) : abs(p - expected) / expected
            if relative > worst.relative { worst = (relative, c.n, d) }
            if relative > 1e-9 { failures.append("n=\(c.n) d=\(c.d): \(p) vs scipy \(c.sf) (relative \(relative))") }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(ref.cases.count) off; worst \(worst): \(failures.prefix(12).joined(separator: "; "))")
    }

    /// The case the issue names: n_eff 382 through Marsaglia–Tsang–Wang's 7-digit right-tail shortcut was 0.27% off.
    @Test func theRightTailShortcutIsGone() throws {
        let ref = try Self.reference()
        let cases = ref.cases.filter { $0.n == 382 }
        #expect(cases.count > 10)
        for c in cases {
            let d = try #require(Double(c.d)), expected = try #require(Double(c.sf))
            guard expected > 0 else { continue }
            #expect(abs(KolmogorovDistribution.survival(d, n: 382) - expected) <= 1e-9 * expected, "d=\(d)")
        }
    }
}
