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
        let lower = target.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return target }
        let afterScheme = target.drop { $0 != ":" }.dropFirst(3)
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }

    /// Request line, headers as given, empty line, body. The caller includes `Content-Length`.
    package func serialized() -> [UInt8] {
        Array("\(method) \(target) HTTP/1.1\r\n".utf8) + headers.serialized() + body
    }
}
