import Foundation
import NIOConcurrencyHelpers

/// The mapping keys a decoder asked for, per mapping of a document (recorded by `KeyTrackingDecoder`). A key of the
/// document that nobody asked for is one the types ignore: an unknown key.
final class KeyUsage: Sendable {
    private struct Seen {
        /// Keys asked for, by the path of their mapping (`PathText`).
        var asked: [String: Set<String>] = [:]
        /// Mappings whose keys were enumerated (`allKeys`): their decoder takes any key.
        var open: Set<String> = []
    }
    private let seen = NIOLockedValueBox(Seen())

    /// Keys asked for, by the path of their mapping.
    var asked: [String: Set<String>] { seen.withLockedValue { $0.asked } }
    /// Mappings whose keys were enumerated: their decoder takes any key.
    var open: Set<String> { seen.withLockedValue { $0.open } }

    /// A mapping at `path` was opened as a keyed container.
    func opened(_ path: [CodingKey]) {
        let text = Self.text(path)
        seen.withLockedValue { _ = $0.asked[text, default: []] }
    }

    func ask(_ key: CodingKey, in path: [CodingKey]) {
        let text = Self.text(path), name = key.stringValue
        seen.withLockedValue { _ = $0.asked[text, default: []].insert(name) }
    }

    func enumerated(_ path: [CodingKey]) {
        let text = Self.text(path)
        seen.withLockedValue { _ = $0.open.insert(text) }
    }

    /// The keys asked for at `path`; nil when no keyed container was opened there (nothing to judge).
    func keys(at path: String) -> Set<String>? {
        seen.withLockedValue { $0.open.contains(path) ? nil : $0.asked[path] }
    }

    /// A path as text: keys by name, list indexes as `#N` (so a key named `0` and index 0 differ).
    static func text(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "#\($0)" } ?? $0.stringValue }.joined(separator: "/")
    }
}
