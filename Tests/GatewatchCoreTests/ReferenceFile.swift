import Foundation

/// The committed reference values of Tests/Reference (each file made by the script of the same name).
enum ReferenceFile {
    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Reference/\(name)")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }
}
