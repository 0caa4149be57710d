/// The ordered properties of an AMF0 object or ECMA array.
///
/// An ordered list rather than a dictionary: the order of `connect`'s fields is part of what a client
/// looks like on the wire (ffmpeg and librtmp differ), and duplicate keys, which hostile or sloppy
/// peers send, survive a round trip unchanged.
public struct AMF0Object: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// One key and its value.
    public struct Property: Sendable, Equatable {
        public var key: String
        public var value: AMF0Value

        public init(_ key: String, _ value: AMF0Value) {
            self.key = key
            self.value = value
        }
    }

    public var properties: [Property]

    public init(_ properties: [Property] = []) {
        self.properties = properties
    }

    public init(dictionaryLiteral elements: (String, AMF0Value)...) {
        properties = elements.map { Property($0.0, $0.1) }
    }

    /// The value of the first property named `key`.
    public subscript(key: String) -> AMF0Value? {
        properties.first { $0.key == key }?.value
    }

    /// Appends a property, keeping wire order.
    public mutating func append(_ key: String, _ value: AMF0Value) {
        properties.append(Property(key, value))
    }
}
