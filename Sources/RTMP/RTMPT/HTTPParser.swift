/// An incremental, bounded HTTP/1.1 parser for the two ends of an RTMPT tunnel.
///
/// Bytes arrive split anywhere and requests may be pipelined, so the parser keeps one buffer, scans
/// each byte once for the end of the head, and hands out whole messages. It only knows the framing
/// RTMPT needs — `Content-Length` bodies — and reports everything else as a typed `HTTPError`; after an
/// error it stays failed, because the connection's framing is lost.
///
/// A response that is not 2xx and has no usable `Content-Length` (a proxy's error page sent with
/// `Connection: close` or chunked) is handed out with an empty body as soon as its head is complete:
/// for a tunnel it can only mean the end, and its status is what the caller must report.
package struct HTTPParser: Sendable {
    package enum Kind: Sendable {
        case request
        case response
    }

    /// A parsed start line and header block, waiting for its body.
    private struct Head: Sendable {
        var startLine: StartLine
        var headers: [HTTPHeader]
        var bodyLength: Int
    }

    private enum StartLine: Sendable {
        case request(method: String, target: String)
        case response(status: Int, reason: String)
    }

    private let kind: Kind
    private let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// Index of the first byte not yet consumed by a returned message.
    private var start = 0
    /// Where the current line being scanned for the head's end begins.
    private var lineStart = 0
    /// The next byte to scan.
    private var scan = 0
    private var head: Head?
    private var failure: HTTPError?
    /// Set after a bodiless non-2xx response: nothing that follows can be framed.
    private var ended = false

    package init(kind: Kind, limits: HTTPLimits) {
        self.kind = kind
        self.limits = limits
    }

    /// Bytes held but not yet returned in a message.
    package var bufferedByteCount: Int { buffer.count - start }

    /// Adds bytes read from the connection.
    package mutating func append(_ bytes: ArraySlice<UInt8>) throws(HTTPError) {
        if let failure { throw failure }
        if ended { return }
        guard bufferedByteCount + bytes.count <= limits.maxBufferedBytes else {
            let error = HTTPError.pipelineTooDeep(limit: limits.maxBufferedBytes)
            failure = error
            throw error
        }
        buffer += bytes
    }

    /// The next complete request, or nil until more bytes arrive.
    package mutating func nextRequest() throws(HTTPError) -> HTTPRequest? {
        guard let (head, body) = try nextMessage() else { return nil }
        switch head.startLine {
        case .request(let method, let target):
            return HTTPRequest(method: method, target: target, headers: head.headers, body: body)
        case .response:
            return nil
        }
    }

    /// The next complete response, or nil until more bytes arrive.
    package mutating func nextResponse() throws(HTTPError) -> HTTPResponse? {
        guard let (head, body) = try nextMessage() else { return nil }
        switch head.startLine {
        case .response(let status, let reason):
            return HTTPResponse(status: status, reason: reason, headers: head.headers, body: body)
        case .request:
            return nil
        }
    }

    private mutating func nextMessage() throws(HTTPError) -> (Head, [UInt8])? {
        if let failure { throw failure }
        if ended { return nil }
        do {
            if head == nil {
                guard let headEnd = try findHeadEnd() else { return nil }
                head = try parseHead(buffer[start..<headEnd])
                start = headEnd
            }
            guard let current = head, buffer.count - start >= current.bodyLength else { return nil }
            let body = Array(buffer[start..<(start + current.bodyLength)])
            start += current.bodyLength
            head = nil
            lineStart = start
            scan = start
            compact()
            return (current, body)
        } catch {
            failure = error
            throw error
        }
    }

    /// Scans for the empty line that ends the head; returns the index just after it.
    private mutating func findHeadEnd() throws(HTTPError) -> Int? {
        compact()
        while scan < buffer.count {
            let byte = buffer[scan]
            scan += 1
            guard byte == 10 else { continue }
            var lineEnd = scan - 1
            if lineEnd > lineStart, buffer[lineEnd - 1] == 13 { lineEnd -= 1 }
            if lineEnd == lineStart {
                if lineStart == start {
                    // Empty lines before a start line (some clients add CRLF after a body): skip them.
                    start = scan
                    lineStart = scan
                    continue
                }
                guard scan - start <= limits.maxHeaderBytes else { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
                return scan
            }
            lineStart = scan
            if scan - start > limits.maxHeaderBytes { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
        }
        if buffer.count - start > limits.maxHeaderBytes { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
        return nil
    }

    private mutating func parseHead(_ bytes: ArraySlice<UInt8>) throws(HTTPError) -> Head {
        var lines: [ArraySlice<UInt8>] = []
        var lineBegin = bytes.startIndex
        for index in bytes.indices where bytes[index] == 10 {
            var end = index
            if end > lineBegin, bytes[end - 1] == 13 { end -= 1 }
            if end > lineBegin { lines.append(bytes[lineBegin..<end]) }
            lineBegin = index + 1
        }
        guard let first = lines.first else { throw .malformedStartLine("") }
        var headers: [HTTPHeader] = []
        for line in lines.dropFirst() { headers.append(try Self.parseHeader(line)) }
        let startLine: StartLine
        switch kind {
        case .request: startLine = try Self.parseRequestLine(first)
        case .response: startLine = try Self.parseStatusLine(first)
        }
        let bodyLength: Int
        do {
            bodyLength = try Self.bodyLength(headers: headers, startLine: startLine)
        } catch {
            // A proxy's error page may be framed in ways RTMPT never uses; its status still matters.
            if case .response(let status, _) = startLine, !(200..<300).contains(status) {
                switch error {
                case .unsupportedTransferEncoding, .missingContentLength:
                    ended = true
                    return Head(startLine: startLine, headers: headers, bodyLength: 0)
                case .headerTooLarge, .bodyTooLarge, .pipelineTooDeep, .malformedStartLine, .unsupportedVersion,
                    .malformedHeader, .invalidContentLength:
                    throw error
                }
            }
            throw error
        }
        guard bodyLength <= limits.maxBodyBytes else {
            throw .bodyTooLarge(length: bodyLength, limit: limits.maxBodyBytes)
        }
        return Head(startLine: startLine, headers: headers, bodyLength: bodyLength)
    }

    private static func bodyLength(headers: [HTTPHeader], startLine: StartLine) throws(HTTPError) -> Int {
        if let encoding = headers.values(for: "Transfer-Encoding").first {
            throw .unsupportedTransferEncoding(encoding)
        }
        let lengths = headers.values(for: "Content-Length")
        guard let firstLength = lengths.first else {
            switch startLine {
            case .request:
                return 0
            case .response(let status, _):
                if (100..<200).contains(status) || status == 204 || status == 304 { return 0 }
                throw .missingContentLength
            }
        }
        guard lengths.allSatisfy({ $0 == firstLength }) else {
            throw .invalidContentLength(lengths.joined(separator: ", "))
        }
        guard !firstLength.isEmpty, firstLength.utf8.count <= 15,
            firstLength.utf8.allSatisfy({ (48...57).contains($0) }), let value = Int(firstLength)
        else {
            throw .invalidContentLength(firstLength)
        }
        return value
    }

    /// `METHOD SP target SP HTTP/1.1`.
    ///
    /// The target must be visible ASCII, as a URI is (RFC 3986; other bytes travel percent-encoded):
    /// a byte ≥ 0x80 would otherwise be decoded to U+FFFD, and the path handled would not be the path
    /// sent (found by the RTMPT fuzz target, docs/reliability.md).
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> StartLine {
        let parts = line.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
            !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 32 && $0 < 127 })
        else {
            throw .malformedStartLine(Self.excerpt(line))
        }
        try checkVersion(parts[2], line: line)
        return .request(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self)
        )
    }

    /// `HTTP/1.1 SP 3DIGIT [SP reason]`.
    private static func parseStatusLine(_ line: ArraySlice<UInt8>) throws(HTTPError) -> StartLine {
        let parts = line.split(separator: 32, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2 else { throw .malformedStartLine(Self.excerpt(line)) }
        try checkVersion(parts[0], line: line)
        let code = parts[1]
        guard code.count == 3, code.allSatisfy({ (48...57).contains($0) }) else {
            throw .malformedStartLine(Self.excerpt(line))
        }
        // Three digits, so the value is 0...999 and cannot overflow.
        let status = code.reduce(0) { $0 * 10 + Int($1 - 48) }
        guard status >= 100 else {
            throw .malformedStartLine(Self.excerpt(line))
        }
        let reason = parts.count == 3 ? parts[2] : []
        guard reason.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
            throw .malformedStartLine(Self.excerpt(line))
        }
        return .response(status: status, reason: String(decoding: reason, as: UTF8.self))
    }

    private static func checkVersion(_ version: ArraySlice<UInt8>, line: ArraySlice<UInt8>) throws(HTTPError) {
        if version.elementsEqual("HTTP/1.1".utf8) { return }
        let text = String(decoding: version, as: UTF8.self)
        if version.count == 8, text.hasPrefix("HTTP/"), version.dropFirst(5).enumerated().allSatisfy({ offset, byte in
            offset == 1 ? byte == UInt8(ascii: ".") : (48...57).contains(byte)
        }) {
            throw .unsupportedVersion(text)
        }
        throw .malformedStartLine(Self.excerpt(line))
    }

    /// `name: value` with a token name, no space before the colon and no folding.
    private static func parseHeader(_ line: ArraySlice<UInt8>) throws(HTTPError) -> HTTPHeader {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
            line[line.startIndex..<colon].allSatisfy(isTokenByte)
        else {
            throw .malformedHeader(Self.excerpt(line))
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 32 || first == 9 { value = value.dropFirst() }
        while let last = value.last, last == 32 || last == 9 { value = value.dropLast() }
        guard value.allSatisfy({ $0 == 9 || ($0 >= 32 && $0 != 127) }) else {
            throw .malformedHeader(Self.excerpt(line))
        }
        return HTTPHeader(
            String(decoding: line[line.startIndex..<colon], as: UTF8.self), String(decoding: value, as: UTF8.self)
        )
    }

    /// RFC 9110 `tchar`.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// At most 80 characters of a bad line, for error messages.
    private static func excerpt(_ text: String) -> String {
        String(text.prefix(80))
    }

    /// The same for a line still in bytes: decoded only when an error is thrown, not for every
    /// header of every message as before.
    private static func excerpt(_ line: ArraySlice<UInt8>) -> String {
        excerpt(String(decoding: line, as: UTF8.self))
    }

    /// Drops consumed bytes once they dominate the buffer, keeping memory proportional to what is held.
    ///
    /// A buffer whose every byte was consumed is emptied at once, storage and all: RTMPT sends one
    /// message at a time, so this keeps the buffer at one message instead of copying kilobytes of
    /// consumed bytes whenever a parser stored in a dictionary is copied on write, and an idle
    /// tunnel (thousands of them in a simulated herd) holds no buffer at all.
    private mutating func compact() {
        if start > 0, start == buffer.count {
            buffer = []
            scan = 0
            lineStart = 0
            start = 0
            return
        }
        guard start > 4096, start * 2 > buffer.count else { return }
        buffer.removeFirst(start)
        scan -= start
        lineStart -= start
        start = 0
    }
}
