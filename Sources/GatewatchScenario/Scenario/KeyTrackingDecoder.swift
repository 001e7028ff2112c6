import Yams

/// Wraps a Yams decoder and records in a `KeyUsage` every mapping key the decoded types ask for (decoded, tested
/// with `contains`/`decodeIfPresent`, or opened as a nested container), so the keys nobody asked for can be reported
/// as unknown. Aliases a type accepts are asked for too, so they are never reported. Values are decoded by Yams.
struct KeyTrackingDecoder: Decoder {
    let inner: Decoder
    let usage: KeyUsage

    var codingPath: [CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { inner.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let container = try inner.container(keyedBy: type)
        usage.opened(codingPath)
        return KeyedDecodingContainer(Keyed(inner: container, usage: usage))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        Unkeyed(inner: try inner.unkeyedContainer(), usage: usage)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        Single(inner: try inner.singleValueContainer(), decoder: self)
    }

    /// Decodes a value through the tracking decoder, except scalars, which Yams constructs itself.
    static func decode<T: Decodable>(_ type: T.Type, scalar: () throws -> T, nested: () throws -> Decoder, usage: KeyUsage) throws -> T {
        if type is ScalarConstructible.Type { return try scalar() }
        return try T(from: KeyTrackingDecoder(inner: try nested(), usage: usage))
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let inner: KeyedDecodingContainer<Key>
        let usage: KeyUsage

        var codingPath: [CodingKey] { inner.codingPath }
        var allKeys: [Key] {
            usage.enumerated(codingPath)
            return inner.allKeys
        }

        private func ask(_ key: Key) { usage.ask(key, in: codingPath) }

        func contains(_ key: Key) -> Bool { ask(key); return inner.contains(key) }
        func decodeNil(forKey key: Key) throws -> Bool { ask(key); return try inner.decodeNil(forKey: key) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { ask(key); return try inner.decode(type, forKey: key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { ask(key); return try inner.decode(type, forKey: key) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            ask(key)
            return try KeyTrackingDecoder.decode(type, scalar: { try inner.decode(type, forKey: key) },
                                                 nested: { try inner.superDecoder(forKey: key) }, usage: usage)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            ask(key)
            return try KeyTrackingDecoder(inner: try inner.superDecoder(forKey: key), usage: usage).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
            ask(key)
            return Unkeyed(inner: try inner.nestedUnkeyedContainer(forKey: key), usage: usage)
        }

        func superDecoder() throws -> Decoder { KeyTrackingDecoder(inner: try inner.superDecoder(), usage: usage) }

        func superDecoder(forKey key: Key) throws -> Decoder {
            ask(key)
            return KeyTrackingDecoder(inner: try inner.superDecoder(forKey: key), usage: usage)
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        var inner: UnkeyedDecodingContainer
        let usage: KeyUsage

        var codingPath: [CodingKey] { inner.codingPath }
        var count: Int? { inner.count }
        var isAtEnd: Bool { inner.isAtEnd }
        var currentIndex: Int { inner.currentIndex }

        mutating func decodeNil() throws -> Bool { try inner.decodeNil() }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try inner.decode(type) }
        mutating func decode(_ type: String.Type) throws -> String { try inner.decode(type) }
        mutating func decode(_ type: Double.Type) throws -> Double { try inner.decode(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try inner.decode(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try inner.decode(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try inner.decode(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try inner.decode(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try inner.decode(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try inner.decode(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try inner.decode(type) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try inner.decode(type) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try inner.decode(type) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try inner.decode(type) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try inner.decode(type) }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if type is ScalarConstructible.Type { return try inner.decode(type) }
            return try T(from: KeyTrackingDecoder(inner: try inner.superDecoder(), usage: usage))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try KeyTrackingDecoder(inner: try inner.superDecoder(), usage: usage).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            Unkeyed(inner: try inner.nestedUnkeyedContainer(), usage: usage)
        }
        mutating func superDecoder() throws -> Decoder { KeyTrackingDecoder(inner: try inner.superDecoder(), usage: usage) }
    }

    struct Single: SingleValueDecodingContainer {
        let inner: SingleValueDecodingContainer
        let decoder: KeyTrackingDecoder

        var codingPath: [CodingKey] { inner.codingPath }
        func decodeNil() -> Bool { inner.decodeNil() }
        func decode(_ type: Bool.Type) throws -> Bool { try inner.decode(type) }
        func decode(_ type: String.Type) throws -> String { try inner.decode(type) }
        func decode(_ type: Double.Type) throws -> Double { try inner.decode(type) }
        func decode(_ type: Float.Type) throws -> Float { try inner.decode(type) }
        func decode(_ type: Int.Type) throws -> Int { try inner.decode(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try inner.decode(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try inner.decode(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try inner.decode(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try inner.decode(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try inner.decode(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try inner.decode(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try inner.decode(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try inner.decode(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try inner.decode(type) }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            if type is ScalarConstructible.Type { return try inner.decode(type) }
            return try T(from: decoder)
        }
    }
}
