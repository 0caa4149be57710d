/// An HTTP/1.1 request as RTMPT uses it: a method, a target, headers and a `Content-Length` body.
package struct HTTPRequest: Sendable, Equatable {
    package var method: String
    /// The request target: a path (`/send/ID/3`) or, through an explicit proxy, an absolute URI.
    package var target: String
    package var headers: [HTTPHeader]
    package var body: [UInt8]

    package init(method: String, target: String, headers: [HTTPHeader], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The target's path: an absolute URI (`http://host:port/open/1`) is reduced to `/open/1`,
    /// which is how a server behind an explicit proxy sees what the client asked for.
    package var path: String {
        guard !target.hasPrefix("/") else { return target }
        guard Self.hasPrefixIgnoringASCIICase(target, "http://") || Self.hasPrefixIgnoringASCIICase(target, "https://") else {
            return target
        }
        let afterScheme = target.drop { $0 != ":" }.dropFirst(3)
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }

    /// Request line, headers as given, empty line, body. The caller includes `Content-Length`.
    ///
    /// Written into one array sized up front: every RTMPT poll serialises a request (and each proxy
    /// hop another), so the joined temporaries showed in the simulator's profile.
    package func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(method.utf8.count + target.utf8.count + 11 + headers.serializedCount + body.count)
        out.append(contentsOf: method.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: target.utf8)
        out.append(contentsOf: " HTTP/1.1\r\n".utf8)
        headers.append(to: &out)
        out.append(contentsOf: body)
        return out
    }

    /// Whether `text` starts with `prefix` (ASCII letters compared case-insensitively), without
    /// lowercasing a copy of `text`.
    package static func hasPrefixIgnoringASCIICase(_ text: String, _ prefix: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        for wanted in prefix.utf8 {
            guard let byte = bytes.next() else { return false }
            let folded = (65...90).contains(byte) ? byte | 0x20 : byte
            let foldedWanted = (65...90).contains(wanted) ? wanted | 0x20 : wanted
            guard folded == foldedWanted else { return false }
        }
        return true
    }
}
