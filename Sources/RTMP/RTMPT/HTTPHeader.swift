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
    ///
    /// Compares the UTF-8 bytes folded to lower case in place: the RTMPT paths look up
    /// `Content-Length` and `Transfer-Encoding` in every message, and lowercasing two strings per
    /// field allocated on the simulator's hot path.
    package func values(for name: String) -> [String] {
        var found: [String] = []
        for header in self where Self.equalIgnoringASCIICase(header.name, name) {
            found.append(header.value)
        }
        return found
    }

    /// Byte-wise equality after folding `A`–`Z` to `a`–`z`; other bytes must match exactly.
    package static func equalIgnoringASCIICase(_ a: String, _ b: String) -> Bool {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let x?, let y?):
                if x == y { continue }
                guard Self.lowercasedASCII(x) == Self.lowercasedASCII(y) else { return false }
            case (_?, nil), (nil, _?):
                return false
            }
        }
    }

    private static func lowercasedASCII(_ byte: UInt8) -> UInt8 {
        (65...90).contains(byte) ? byte | 0x20 : byte
    }

    /// The bytes of the fields and the empty line that ends the head.
    func serialized() -> [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    /// Appends the fields and the empty line that ends the head, without intermediate arrays.
    func append(to out: inout [UInt8]) {
        for header in self {
            out.append(contentsOf: header.name.utf8)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: header.value.utf8)
            out.append(13)
            out.append(10)
        }
        out.append(13)
        out.append(10)
    }

    /// Bytes `append(to:)` writes, to reserve them at once.
    var serializedCount: Int {
        var count = 2
        for header in self { count += header.name.utf8.count + header.value.utf8.count + 4 }
        return count
    }
}
