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
    package func serialized() -> [UInt8] {
        Array("HTTP/1.1 \(status) \(reason)\r\n".utf8) + headers.serialized() + body
    }
}
