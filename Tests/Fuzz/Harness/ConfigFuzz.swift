import Foundation
import GatewatchApp
import GatewatchUI

/// `gatewatch.yaml` as `gatewatch run --config` reads it (`GatewatchConfig.parse`: settings, keys, hooks, and the
/// registry and metrics sections with their MLflow and Prometheus options).
enum ConfigFuzz {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        guard let config = try? GatewatchConfig.parse(yaml: text, file: "gatewatch.yaml") else { return }
        _ = (config.warnings.count, config.keyTable, config.registry, config.metrics)
    }
}

/// A theme file as `ThemeLoader` reads it: `Theme.parse` over the default, and the unknown-role warnings.
enum ThemeFuzz {
    static func run(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        if let theme = try? Theme.parse(yaml: text, name: "fuzz", base: .default) {
            _ = (theme.style("rule.firing.bold"), theme.forNoColor())
        }
        _ = Theme.unknownRoles(inYAML: text)
    }
}
