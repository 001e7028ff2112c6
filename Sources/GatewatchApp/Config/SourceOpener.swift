import Foundation
import GatewatchCore
import GatewatchSQLite
import GatewatchPrometheus
import GatewatchMLflow

/// Opens the registry and metrics store a config names. Both must be named when either is (a registry without
/// metrics, or the reverse, is almost always a forgotten section).
public enum SourceOpener {
    /// The opened sources and words for the status line.
    public struct Opened: Sendable {
        public var registry: any Registry
        public var metrics: any MetricsStore
        public var description: String

        public init(registry: any Registry, metrics: any MetricsStore, description: String) {
            self.registry = registry
            self.metrics = metrics
            self.description = description
        }
    }

    /// Nil when the config names no source (the command's embedded store is used). Store files are opened for `access`.
    public static func open(registry: RegistryConfig?, metrics: MetricsConfig?, access: SQLiteStore.Access = .write,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Opened? {
        guard registry != nil || metrics != nil else { return nil }
        guard let registry else {
            throw SourceConfigError("the config names `metrics` but no `registry`; add e.g. `registry: { kind: mlflow, url: http://127.0.0.1:5000 }`")
        }
        guard let metrics else {
            throw SourceConfigError("the config names `registry` but no `metrics`; add e.g. `metrics: { kind: prometheus, url: http://127.0.0.1:9090 }`")
        }
        var stores: [String: SQLiteStore] = [:]
        func sqlite(_ path: String?, _ section: String) throws -> SQLiteStore {
            guard let path else { throw SourceConfigError("`\(section): {kind: sqlite}` needs a `path`") }
            if let open = stores[path] { return open }
            guard FileManager.default.fileExists(atPath: path) else { throw SourceConfigError("\(section): no store at \(path)") }
            let store: SQLiteStore
            do { store = try SQLiteStore(path: path, access: access) } catch let error as SQLiteStoreError { throw SourceConfigError("\(section): \(error)") }
            stores[path] = store
            return store
        }
        let openedRegistry: any Registry
        let registryWords: String
        switch registry {
        case .sqlite(let path):
            openedRegistry = try sqlite(path, "registry")
            registryWords = "store \(path ?? "")"
        case .mlflow(let options):
            do { openedRegistry = try MLflowRegistry(options: options, environment: environment) }
            catch { throw SourceConfigError(Self.prefixed("registry (mlflow): ", error)) }
            registryWords = "MLflow \(options.url.absoluteString)"
        }
        let openedMetrics: any MetricsStore
        let metricsWords: String
        switch metrics {
        case .sqlite(let path):
            openedMetrics = try sqlite(path, "metrics")
            metricsWords = "store \(path ?? "")"
        case .prometheus(let options):
            do { openedMetrics = try PrometheusMetricsStore(options: options, environment: environment) }
            catch { throw SourceConfigError(Self.prefixed("metrics (prometheus): ", error)) }
            metricsWords = "Prometheus \(options.url.absoluteString)"
        }
        // One store holding both is named once.
        let description = registryWords == metricsWords ? registryWords : "\(registryWords) · \(metricsWords)"
        return Opened(registry: openedRegistry, metrics: openedMetrics, description: description)
    }

    /// `error` as a sentence starting with `prefix` (the source), which its own description may already carry.
    static func prefixed(_ prefix: String, _ error: Error) -> String {
        let text = "\(error)"
        return text.hasPrefix(prefix) ? text : prefix + text
    }
}

/// A source section that cannot be used, in words.
public struct SourceConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
