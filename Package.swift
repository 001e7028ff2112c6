// swift-tools-version: 6.0
import Foundation
import PackageDescription

let package = Package(
    name: "Gatewatch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gatewatch", targets: ["gatewatch"]),
        .executable(name: "gatewatch-bench", targets: ["gatewatch-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // System library: the wide-character ncurses API through a shim header (see docs/DESIGN notes).
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // Domain model and analysis, and the Registry / MetricsStore protocols the sources implement: pure Swift, no I/O
        // (apart from looking up the process's user name in the user database).
        .target(name: "GatewatchCore"),
        // The limits every YAML file read is checked against (aliases expanded) before it is decoded.
        .target(name: "GatewatchYAML", dependencies: ["Yams"]),
        // Canvas, layout, widgets, themes, key table: pure, no curses.
        .target(name: "GatewatchUI", dependencies: ["Yams", "GatewatchYAML"]),
        // The only module that touches ncurses.
        .target(name: "GatewatchTerminal", dependencies: ["CNCursesW", "CSignalFlag", "GatewatchUI"]),
        // Async-signal-safe flag and emergency terminal restore, in C (signal handlers cannot run Swift safely).
        .target(name: "CSignalFlag"),
        // HTTP client for the Prometheus and MLflow sources: TLS with custom trust roots, timeouts, headers, secret
        // files, no Foundation networking.
        .target(name: "GatewatchHTTP", dependencies: [
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // The hash-chained audit trail (SHA-256) and its verification, shared by the embedded store and MLflow.
        .target(name: "GatewatchAudit", dependencies: ["GatewatchCore", .product(name: "Crypto", package: "swift-crypto")]),
        // The OpenMetrics text format: parser and writer of contract series, pure.
        .target(name: "GatewatchOpenMetrics", dependencies: ["GatewatchCore"]),
        // The embedded store (registry and metrics in one SQLite file, GRDB), its roles and audit chain.
        .target(name: "GatewatchSQLite", dependencies: [
            "GatewatchCore", "GatewatchAudit", "GatewatchOpenMetrics",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
            // The SQLite C API under GRDB, to step the poll query without a row object per sample.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The Prometheus-compatible metrics source: options, query templates, label mapping, response decoding.
        .target(name: "GatewatchPrometheus", dependencies: [
            "GatewatchCore", "GatewatchHTTP", "GatewatchOpenMetrics", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The MLflow Model Registry source: options, REST calls, release tags, identity, audit chain in tags.
        .target(name: "GatewatchMLflow", dependencies: [
            "GatewatchCore", "GatewatchHTTP", "GatewatchAudit", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The Alertmanager alert source (API v2): silences for acknowledged episodes, the alerts held for a release.
        .target(name: "GatewatchAlertmanager", dependencies: ["GatewatchCore", "GatewatchHTTP"]),
        // Loading of release specs and scenarios from YAML, the simulator and demo driver, OpenMetrics import into the
        // embedded store.
        .target(name: "GatewatchScenario", dependencies: [
            "GatewatchCore", "GatewatchSQLite", "GatewatchOpenMetrics", "Yams", "GatewatchYAML",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // App state, screens, key bindings, poll loop.
        .target(name: "GatewatchApp", dependencies: [
            "GatewatchCore", "GatewatchUI", "GatewatchSQLite", "GatewatchPrometheus", "GatewatchMLflow", "GatewatchAlertmanager", "GatewatchScenario",
            "Yams", "GatewatchYAML", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .executableTarget(name: "gatewatch", dependencies: [
            "GatewatchApp", "GatewatchTerminal", "GatewatchCore", "GatewatchUI", "GatewatchAudit", "GatewatchSQLite", "GatewatchMLflow",
            "GatewatchAlertmanager", "GatewatchScenario",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Benchmark of the analysis on synthetic releases (run it in release mode).
        .executableTarget(name: "gatewatch-bench", dependencies: [
            "GatewatchCore", "GatewatchSQLite", "GatewatchScenario", "GatewatchApp", "GatewatchUI", "GatewatchTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "GatewatchCoreTests", dependencies: ["GatewatchCore"]),
        .testTarget(name: "GatewatchUITests", dependencies: ["GatewatchUI"]),
        .testTarget(name: "GatewatchTerminalTests", dependencies: ["GatewatchTerminal", "GatewatchUI"]),
        // Real Prometheus, VictoriaMetrics, Alertmanager and MLflow servers for the tests (start, seed, stop), shared by the store and end-to-end tests.
        .target(name: "GatewatchTestSupport", dependencies: ["GatewatchHTTP"], path: "Tests/GatewatchTestSupport"),
        .testTarget(name: "GatewatchStoresTests", dependencies: [
            "GatewatchCore", "GatewatchHTTP", "GatewatchAudit", "GatewatchOpenMetrics", "GatewatchSQLite", "GatewatchPrometheus", "GatewatchMLflow",
            "GatewatchAlertmanager", "GatewatchScenario", .product(name: "GRDB", package: "GRDB.swift"), "GatewatchTestSupport", "GatewatchYAML", "Yams",
        ]),
        .testTarget(name: "GatewatchAppTests", dependencies: [
            "GatewatchApp", "GatewatchCore", "GatewatchUI", "GatewatchSQLite", "GatewatchPrometheus", "GatewatchScenario",
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["gatewatch", "GatewatchCore", "GatewatchSQLite", "GatewatchHTTP", "GatewatchAlertmanager",
                                                          "GatewatchTestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["GatewatchCore", "GatewatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (README, Fuzzing; `.ci/fuzz`): `gatewatch-fuzz`, one libFuzzer executable for every fuzz target, exists
// only when GATEWATCH_FUZZ=1. Declaring it only then keeps it out of every ordinary `swift build` and `swift test`
// (debug and release): without the fuzzer runtime it has nothing to call, and its `@testable` imports need a debug
// build. `GatewatchFuzzDriver` is the C declaration of libFuzzer's driver for its `main`.
// The instrumentation (`-sanitize=fuzzer,address`) is set here on Gatewatch's own modules only, not with
// `-Xswiftc` on everything: the dependencies then build exactly as in an ordinary build, so a fuzz build in the
// ordinary .build reuses them and compiles only Gatewatch's modules again (about 40 s on 2 cores, against 6 min of
// CPU to build NIO, AsyncHTTPClient, GRDB and Yams a second time, instrumented, in a scratch path of its own). The
// dependencies are not instrumented: nothing a fuzz target calls runs in them, apart from Yams, whose YAML scanner
// is C and was never instrumented anyway.
if ProcessInfo.processInfo.environment["GATEWATCH_FUZZ"] == "1" {
    let sanitizers: [String] = ["-sanitize=fuzzer,address"]
    let fuzzedTargets = ["GatewatchCore", "GatewatchYAML", "GatewatchUI", "GatewatchHTTP", "GatewatchAudit", "GatewatchOpenMetrics", "GatewatchSQLite",
                         "GatewatchPrometheus", "GatewatchMLflow", "GatewatchAlertmanager", "GatewatchScenario", "GatewatchApp"]
    for target in package.targets where fuzzedTargets.contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitizers)]
    }
    package.products.append(.executable(name: "gatewatch-fuzz", targets: ["gatewatch-fuzz"]))
    package.targets += [
        .target(name: "GatewatchFuzzDriver", path: "Tests/Fuzz/Driver"),
        .executableTarget(
            name: "gatewatch-fuzz",
            dependencies: ["GatewatchFuzzDriver", "GatewatchApp", "GatewatchCore", "GatewatchUI", "GatewatchHTTP", "GatewatchOpenMetrics",
                           "GatewatchPrometheus", "GatewatchMLflow", "GatewatchAlertmanager", "GatewatchScenario"],
            path: "Tests/Fuzz/Harness",
            swiftSettings: [.unsafeFlags(["-parse-as-library"] + sanitizers)],
            linkerSettings: [.unsafeFlags(sanitizers)]),
    ]
}

// Sanitizer runs (`.ci/sanitize`): with GATEWATCH_SANITIZE=thread or =address, Gatewatch's own modules, its tests
// and its executables are compiled with `-sanitize=…` (and linked with its runtime), the dependencies as in an
// ordinary build — so, as for fuzzing, the run reuses the ordinary .build's dependencies and compiles only
// Gatewatch's modules again. ThreadSanitizer still sees the locks of uninstrumented code, NIOLockedValueBox's
// among them (it intercepts pthread); it does not see the standard library's futex-based `Mutex`, which is why
// Gatewatch does not use it.
if let sanitizer = ProcessInfo.processInfo.environment["GATEWATCH_SANITIZE"], ["thread", "address"].contains(sanitizer) {
    let flags: [String] = ["-sanitize=\(sanitizer)"]
    let swiftTargets = Set(["GatewatchCore", "GatewatchYAML", "GatewatchUI", "GatewatchTerminal", "GatewatchHTTP", "GatewatchAudit",
                            "GatewatchOpenMetrics", "GatewatchSQLite", "GatewatchPrometheus", "GatewatchMLflow", "GatewatchAlertmanager", "GatewatchScenario",
                            "GatewatchApp", "gatewatch", "gatewatch-bench", "GatewatchTestSupport"])
    for target in package.targets where swiftTargets.contains(target.name) || target.type == .test {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(flags)]
        if target.type == .test || target.type == .executable {
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(flags)]
        }
    }
}
