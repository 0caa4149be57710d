/// The start line and headers of one HTTP/1.x message, as the simulated proxies need them: enough
/// to tell HTTP from anything else, route a request and find where a message ends.
///
/// This is deliberately the only place in NetSim that reads HTTP framing, so that it can be replaced
/// by the RTMP module's HTTP/1.1 framing (the one RTMPT uses) with a single call site.
struct HTTPHead: Sendable {
    /// The three parts of the start line: method, target, version for a request; version, status,
    /// reason for a response.
    var startLine: [String]
    var headers: [(name: String, value: String)]
    /// Bytes of the head, CRLFCRLF included.
    var length: Int

    /// The `Content-Length`, 0 when absent (the proxies only meet messages that carry it).
    var contentLength: Int? {
        guard let value = headers.first(where: { $0.name.lowercased() == "content-length" })?.value else { return 0 }
        return Int(value.trimmingSpaces)
    }

    /// The whole message's length (head and body), or `nil` if the Content-Length is not a number.
    var messageLength: Int? { contentLength.map { length + $0 } }

    enum ParseResult {
        /// More bytes are needed.
        case incomplete
        /// The bytes cannot be the start of an HTTP message.
        case invalid
        case complete(HTTPHead)
    }

    /// The longest head a proxy buffers before it calls the message invalid.
    static let maximumHeadLength = 16_384

    /// Parses a request head at the start of `bytes`.
    static func parseRequest(_ bytes: ArraySlice<UInt8>) -> ParseResult {
        guard requestPrefixIsPlausible(bytes) else { return .invalid }
        return parse(bytes, isRequest: true)
    }

    /// Parses a response head at the start of `bytes`.
    static func parseResponse(_ bytes: ArraySlice<UInt8>) -> ParseResult {
        parse(bytes, isRequest: false)
    }

    /// Whether `bytes` can still become an HTTP request line: a method token (uppercase letters)
    /// followed by a space. A transparent proxy gives up on raw RTMP (first byte 0x03) or TLS (0x16)
    /// at the first byte.
    static func requestPrefixIsPlausible(_ bytes: ArraySlice<UInt8>) -> Bool {
        var count = 0
        for byte in bytes {
            if byte == UInt8(ascii: " ") { return count > 0 }
            guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z"), count < 16 else { return false }
            count += 1
        }
        return true
    }

    private static func parse(_ bytes: ArraySlice<UInt8>, isRequest: Bool) -> ParseResult {
        guard let end = headEnd(bytes) else {
            return bytes.count > maximumHeadLength ? .invalid : .incomplete
        }
        let text = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return .invalid }
        let start = lines.removeFirst().split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard start.count >= 2 else { return .invalid }
        if isRequest {
            guard start.count == 3, start[2].hasPrefix("HTTP/1.") else { return .invalid }
        } else {
            guard start[0].hasPrefix("HTTP/1."), Int(start[1]) != nil else { return .invalid }
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .invalid }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingSpaces))
        }
        return .complete(HTTPHead(startLine: start, headers: headers, length: end + 4 - bytes.startIndex))
    }

    /// Index of the CRLFCRLF that ends the head.
    private static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var i = bytes.startIndex
        let last = bytes.endIndex - 4
        while i <= last {
            if bytes[i] == 13, bytes[i + 1] == 10, bytes[i + 2] == 13, bytes[i + 3] == 10 { return i }
            i += 1
        }
        return nil
    }

    /// The bytes of a minimal response with `status`, used by proxies for their own errors.
    static func errorResponse(status: Int, reason: String) -> [UInt8] {
        let body = "<html><body><h1>\(status) \(reason)</h1></body></html>\n"
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
