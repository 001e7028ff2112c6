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
        // Domain model and analysis: pure Swift, no I/O.
        .target(name: "GatewatchCore"),
        // The limits every YAML file read is checked against (aliases expanded) before it is decoded.
        .target(name: "GatewatchYAML", dependencies: ["Yams"]),
        // Canvas, layout, widgets, themes, key table: pure, no curses.
        .target(name: "GatewatchUI", dependencies: ["Yams", "GatewatchYAML"]),
        // The only module that touches ncurses.
        .target(name: "GatewatchTerminal", dependencies: ["CNCursesW", "CSignalFlag", "GatewatchUI"]),
        // Async-signal-safe flag and emergency terminal restore, in C (signal handlers cannot run Swift safely).
        .target(name: "CSignalFlag"),
        // Registry / metrics store protocols, SQLite store, scenario loader, simulator.
        .target(name: "GatewatchStores", dependencies: [
            "GatewatchCore",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "GRDB", package: "GRDB.swift"),
            // The SQLite C API under GRDB, to step the poll query without a row object per sample.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            "Yams",
            "GatewatchYAML",
            // HTTP for the Prometheus and MLflow sources: TLS with custom trust roots, timeouts, no Foundation networking.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            // SHA-256 for the audit trail's hash chain.
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // App state, screens, key bindings, poll loop.
        .target(name: "GatewatchApp", dependencies: ["GatewatchCore", "GatewatchUI", "GatewatchStores", "Yams", "GatewatchYAML", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")]),
        .executableTarget(name: "gatewatch", dependencies: [
            "GatewatchApp", "GatewatchTerminal", "GatewatchStores", "GatewatchCore", "GatewatchUI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // Benchmark of the analysis on synthetic releases (run it in release mode).
        .executableTarget(name: "gatewatch-bench", dependencies: [
            "GatewatchCore", "GatewatchStores", "GatewatchApp", "GatewatchUI", "GatewatchTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .testTarget(name: "GatewatchCoreTests", dependencies: ["GatewatchCore"]),
        .testTarget(name: "GatewatchUITests", dependencies: ["GatewatchUI"]),
        .testTarget(name: "GatewatchTerminalTests", dependencies: ["GatewatchTerminal", "GatewatchUI"]),
        // Real Prometheus and MLflow servers for the tests (start, seed, stop), shared by the store and end-to-end tests.
        .target(name: "GatewatchTestSupport", dependencies: ["GatewatchStores"], path: "Tests/GatewatchTestSupport"),
        .testTarget(name: "GatewatchStoresTests", dependencies: [
            "GatewatchStores", "GatewatchCore", .product(name: "GRDB", package: "GRDB.swift"), "GatewatchTestSupport", "GatewatchYAML", "Yams",
        ]),
        .testTarget(name: "GatewatchAppTests", dependencies: ["GatewatchApp", "GatewatchStores", "GatewatchCore", "GatewatchUI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["gatewatch", "GatewatchTestSupport"]),
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
    for target in package.targets where ["GatewatchCore", "GatewatchYAML", "GatewatchUI", "GatewatchStores", "GatewatchApp"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(sanitizers)]
    }
    package.products.append(.executable(name: "gatewatch-fuzz", targets: ["gatewatch-fuzz"]))
    package.targets += [
        .target(name: "GatewatchFuzzDriver", path: "Tests/Fuzz/Driver"),
        .executableTarget(
            name: "gatewatch-fuzz",
            dependencies: ["GatewatchFuzzDriver", "GatewatchApp", "GatewatchStores", "GatewatchCore", "GatewatchUI"],
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
    let swiftTargets = Set(["GatewatchCore", "GatewatchYAML", "GatewatchUI", "GatewatchTerminal", "GatewatchStores", "GatewatchApp", "gatewatch",
                            "gatewatch-bench", "GatewatchTestSupport"])
    for target in package.targets where swiftTargets.contains(target.name) || target.type == .test {
        target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(flags)]
        if target.type == .test || target.type == .executable {
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(flags)]
        }
    }
}
