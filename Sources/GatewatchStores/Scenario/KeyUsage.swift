import Foundation

/// The mapping keys a decoder asked for, per mapping of a document (recorded by `KeyTrackingDecoder`). A key of the
/// document that nobody asked for is one the types ignore: an unknown key.
final class KeyUsage: @unchecked Sendable {
    /// Keys asked for, by the path of their mapping (`PathText`).
    private(set) var asked: [String: Set<String>] = [:]
    /// Mappings whose keys were enumerated (`allKeys`): their decoder takes any key.
    private(set) var open: Set<String> = []
    private let lock = NSLock()

    /// A mapping at `path` was opened as a keyed container.
    func opened(_ path: [CodingKey]) {
        lock.withLock { _ = asked[Self.text(path), default: []] }
    }

    func ask(_ key: CodingKey, in path: [CodingKey]) {
        lock.withLock { _ = asked[Self.text(path), default: []].insert(key.stringValue) }
    }

    func enumerated(_ path: [CodingKey]) {
        lock.withLock { _ = open.insert(Self.text(path)) }
    }

    /// The keys asked for at `path`; nil when no keyed container was opened there (nothing to judge).
    func keys(at path: String) -> Set<String>? {
        lock.withLock { open.contains(path) ? nil : asked[path] }
    }

    /// A path as text: keys by name, list indexes as `#N` (so a key named `0` and index 0 differ).
    static func text(_ path: [CodingKey]) -> String {
        path.map { $0.intValue.map { "#\($0)" } ?? $0.stringValue }.joined(separator: "/")
    }
}
