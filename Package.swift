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
    ],
    targets: [
        // System library: the wide-character ncurses API through a shim header (see docs/DESIGN notes).
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // Domain model and analysis: pure Swift, no I/O.
        .target(name: "GatewatchCore"),
        // Canvas, layout, widgets, themes, key table: pure, no curses.
        .target(name: "GatewatchUI", dependencies: ["Yams"]),
        // The only module that touches ncurses.
        .target(name: "GatewatchTerminal", dependencies: ["CNCursesW", "CSignalFlag", "GatewatchUI"]),
        // Async-signal-safe flag and emergency terminal restore, in C (signal handlers cannot run Swift safely).
        .target(name: "CSignalFlag"),
        // Registry / metrics store protocols, SQLite store, scenario loader, simulator.
        .target(name: "GatewatchStores", dependencies: [
            "GatewatchCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            // The SQLite C API under GRDB, to step the poll query without a row object per sample.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            "Yams",
            // HTTP for the Prometheus and MLflow sources: TLS with custom trust roots, timeouts, no Foundation networking.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        // App state, screens, key bindings, poll loop.
        .target(name: "GatewatchApp", dependencies: ["GatewatchCore", "GatewatchUI", "GatewatchStores", "Yams"]),
        .executableTarget(name: "gatewatch", dependencies: [
            "GatewatchApp", "GatewatchTerminal", "GatewatchStores", "GatewatchCore", "GatewatchUI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmark of the analysis on synthetic releases (run it in release mode).
        .executableTarget(name: "gatewatch-bench", dependencies: [
            "GatewatchCore", "GatewatchStores", "GatewatchApp", "GatewatchUI", "GatewatchTerminal",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "GatewatchCoreTests", dependencies: ["GatewatchCore"]),
        .testTarget(name: "GatewatchUITests", dependencies: ["GatewatchUI"]),
        .testTarget(name: "GatewatchTerminalTests", dependencies: ["GatewatchTerminal", "GatewatchUI"]),
        // Real Prometheus and MLflow servers for the tests (start, seed, stop), shared by the store and end-to-end tests.
        .target(name: "GatewatchTestSupport", dependencies: ["GatewatchStores"], path: "Tests/GatewatchTestSupport"),
        .testTarget(name: "GatewatchStoresTests", dependencies: [
            "GatewatchStores", "GatewatchCore", .product(name: "GRDB", package: "GRDB.swift"), "GatewatchTestSupport",
        ]),
        .testTarget(name: "GatewatchAppTests", dependencies: ["GatewatchApp", "GatewatchStores", "GatewatchCore", "GatewatchUI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["gatewatch", "GatewatchTestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["GatewatchCore", "GatewatchTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (README, Fuzzing): `gatewatch-fuzz`, one libFuzzer executable for every fuzz target, exists only when
// GATEWATCH_FUZZ=1, as `.ci/fuzz` sets it for its build with `-sanitize=fuzzer,address` in its own scratch path
// (.build-fuzz). Declaring it only then keeps it out of every ordinary `swift build` and `swift test` (debug and
// release): without `-sanitize=fuzzer` there is no libFuzzer to link, and its `@testable` imports need the debug
// build that `.ci/fuzz` makes. `GatewatchFuzzDriver` is the C declaration of libFuzzer's driver for its `main`.
if ProcessInfo.processInfo.environment["GATEWATCH_FUZZ"] == "1" {
    package.products.append(.executable(name: "gatewatch-fuzz", targets: ["gatewatch-fuzz"]))
    package.targets += [
        .target(name: "GatewatchFuzzDriver", path: "Tests/Fuzz/Driver"),
        .executableTarget(
            name: "gatewatch-fuzz",
            dependencies: ["GatewatchFuzzDriver", "GatewatchApp", "GatewatchStores", "GatewatchCore", "GatewatchUI"],
            path: "Tests/Fuzz/Harness",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ]
}
