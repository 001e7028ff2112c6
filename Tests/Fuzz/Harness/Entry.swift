// The libFuzzer entry point of `gatewatch-fuzz` (see README, Fuzzing, and `.ci/fuzz`).
//
// Built only with `GATEWATCH_FUZZ=1` (Package.swift declares the target then and only then) and with
// `-sanitize=fuzzer`. SwiftPM links an executable's `main` under another name (`--defsym main=<module>_main`, so that
// tests can link it), which leaves libFuzzer's own `main` out; so `FuzzMain` is the entry point and hands over to
// libFuzzer's driver (`LLVMFuzzerRunDriver`, through the C shim in Tests/Fuzz/Driver), which calls
// `LLVMFuzzerTestOneInput` once per input.
//
// One executable serves every target; `GATEWATCH_FUZZ_TARGET` picks which (names in `FuzzTarget`). Every target
// links the same modules (the config target needs GatewatchApp, which needs everything else), so separate executables
// would each link NIO, AsyncHTTPClient, GRDB and Yams again for nothing; libFuzzer's options and corpus directories
// are per run anyway.
import Foundation
import GatewatchFuzzDriver

@main
enum FuzzMain {
    static func main() {
        _ = FuzzTarget.selected
        exit(gatewatch_fuzz_run(CommandLine.argc, CommandLine.unsafeArgv))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func gatewatchFuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = (start == nil || count == 0) ? Data() : Data(bytes: start!, count: count)
    FuzzTarget.selected.run(data)
    return 0
}

/// What `GATEWATCH_FUZZ_TARGET` can name.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// `OpenMetricsParser` (what `gatewatch import` reads), and the writer's text read back.
    case openmetrics
    /// A Prometheus `query_range` body: `PrometheusResponse.decode`, then the series mapped to contract series and
    /// merged as a poll does.
    case prometheus
    /// An MLflow `model-versions/get` (or `registered-models/search`, or error) body: decoded, then the release's
    /// tags read into spec, state and audit events as `MLflowRegistry` does.
    case mlflow
    /// A release spec (`release.yaml`), also tried as `simulation.yaml` and `fleet.yaml`.
    case spec
    /// A fleet (`fleet.yaml`) loaded with its member scenarios.
    case fleet
    /// `gatewatch.yaml` with its registry and metrics sections.
    case config
    /// A theme file (`themes/NAME.yaml`).
    case theme

    /// The target named by `GATEWATCH_FUZZ_TARGET`; exits with status 2 and the list when it names none.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GATEWATCH_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("gatewatch-fuzz: set GATEWATCH_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    func run(_ data: Data) {
        switch self {
        case .openmetrics: OpenMetricsFuzz.run(data)
        case .prometheus: PrometheusFuzz.run(data)
        case .mlflow: MLflowFuzz.run(data)
        case .spec: SpecFuzz.run(data)
        case .fleet: FleetFuzz.run(data)
        case .config: ConfigFuzz.run(data)
        case .theme: ThemeFuzz.run(data)
        }
    }
}

/// Stops the run with a message libFuzzer reports as a crash, keeping the input: for a broken property (a parse
/// whose output does not read back), not for an error the parser reports.
func propertyFailed(_ message: String) -> Never {
    FileHandle.standardError.write(Data("gatewatch-fuzz: \(message)\n".utf8))
    abort()
}
