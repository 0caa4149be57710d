/// One HTTP header field, kept in arrival order with its original spelling.
///
/// RTMPT peers disagree on capitalisation (librtmp sends `Content-length`, Red5 `Content-Length`), so
/// names compare case-insensitively but are written back exactly as given.
package struct HTTPHeader: Sendable, Equatable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension [HTTPHeader] {
    /// Values of every field called `name`, compared case-insensitively (ASCII).
    package func values(for name: String) -> [String] {
        let wanted = name.lowercased()
        return filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The bytes of the fields and the empty line that ends the head.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        for header in self {
            out += [UInt8](header.name.utf8)
            out += [UInt8(ascii: ":"), UInt8(ascii: " ")]
            out += [UInt8](header.value.utf8)
            out += [13, 10]
        }
        out += [13, 10]
        return out
    }
}
