import Foundation
import Testing
@testable import GatewatchCore

/// Student's t distribution against scipy 1.17.1 (`2*stats.t.sf(|t|, df)`, `stats.t.ppf(p, df)`).
@Suite struct StudentTTests {
    @Test(arguments: [
        (2.0, 10.0, 0.07338803477074037),
        (0.5, 3.0, 0.651447964848151),
        (3.7, 1.0, 0.16804452564789518),
        (1.2, 574.7349, 0.23063375145622714),
        (2.5, 2.5, 0.1045699630781554),
        (0.0, 5.0, 1.0),
        (4.0, 1e6, 6.33470340100481e-05),
    ])
    func twoSidedPMatchesScipy(t: Double, df: Double, expected: Double) {
        let p = StudentT.twoSidedP(t: t, degreesOfFreedom: df)
        #expect(abs(p - expected) < 1e-9, "t=\(t) df=\(df) p=\(p)")
        #expect(abs(StudentT.twoSidedP(t: -t, degreesOfFreedom: df) - expected) < 1e-9)
    }

    @Test func farTailIsRelativelyAccurate() {
        // scipy 1.17.1: 2*stats.t.sf(10, 30)
        let p = StudentT.twoSidedP(t: 10, degreesOfFreedom: 30)
        #expect(abs(p - 4.575251408229618e-11) / 4.575251408229618e-11 < 1e-8)
    }

    @Test(arguments: [
        (0.975, 12.5, 2.1691859427125406),
        (0.975, 1.0, 12.706204736174694),
        (0.995, 3.0, 5.840909309733355),
        (0.9, 40.0, 1.3030770526071949),
        (0.025, 7.0, -2.3646242515927844),
        (0.5, 9.0, 0.0),
        (0.975, 574.7349, 1.9641001348479243),
        (0.9999, 2.0, 70.70007107496818),
        (0.975, 1e6, 1.959966356814107),
    ])
    func quantileMatchesScipy(p: Double, df: Double, expected: Double) {
        let q = StudentT.quantile(p, degreesOfFreedom: df)
        #expect(abs(q - expected) <= 1e-9 * max(1, abs(expected)), "p=\(p) df=\(df) q=\(q)")
    }

    @Test func quantileInvertsTwoSidedP() {
        for df in [1.0, 2.0, 3.5, 10, 57.3, 1000] {
            for p in [0.6, 0.75, 0.9, 0.95, 0.99, 0.999] {
                let q = StudentT.quantile(p, degreesOfFreedom: df)
                let back = StudentT.twoSidedP(t: q, degreesOfFreedom: df)
                #expect(abs(back - 2 * (1 - p)) < 1e-10, "df=\(df) p=\(p)")
                #expect(StudentT.quantile(1 - p, degreesOfFreedom: df) == -q)
            }
        }
    }

    @Test func edgeInputs() {
        #expect(StudentT.twoSidedP(t: .infinity, degreesOfFreedom: 5) == 0)
        #expect(StudentT.twoSidedP(t: 2, degreesOfFreedom: 0).isNaN)
        #expect(StudentT.quantile(0, degreesOfFreedom: 5) == -.infinity)
        #expect(StudentT.quantile(1, degreesOfFreedom: 5) == .infinity)
        #expect(abs(StudentT.twoSidedP(t: 1.959963984540054, degreesOfFreedom: 1e9) - 0.05) < 1e-9)
    }

    @Test func normalQuantileMatchesScipy() {
        // scipy 1.17.1: stats.norm.ppf(0.975), ppf(0.995), ppf(1e-10)
        #expect(abs(Distributions.normalQuantile(0.975) - 1.959963984540054) < 1e-12)
        #expect(abs(Distributions.normalQuantile(0.995) - 2.5758293035489004) < 1e-12)
        #expect(abs(Distributions.normalQuantile(1e-10) - -6.361340902404056) < 1e-10)
        #expect(Distributions.normalQuantile(0.5) == 0)
    }
}
