/// An HTTP/1.1 response: status, reason, headers, and a `Content-Length` body.
package struct HTTPResponse: Sendable, Equatable {
    package var status: Int
    package var reason: String
    package var headers: [HTTPHeader]
    package var body: [UInt8]

    package init(status: Int, reason: String, headers: [HTTPHeader], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// Status line, headers as given, empty line, body. The caller includes `Content-Length`.
    /// Written into one array sized up front (see `HTTPRequest.serialized()`).
    package func serialized() -> [UInt8] {
        let statusText = String(status)
        var out: [UInt8] = []
        out.reserveCapacity(statusText.utf8.count + reason.utf8.count + 12 + headers.serializedCount + body.count)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        out.append(contentsOf: statusText.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: reason.utf8)
        out.append(13)
        out.append(10)
        headers.append(to: &out)
        out.append(contentsOf: body)
        return out
    }
}
