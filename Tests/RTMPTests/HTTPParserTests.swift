import Testing
@testable import RTMP

/// The bounded HTTP/1.1 framing under both tunnel ends: split anywhere, pipelined, hostile.
@Suite struct HTTPParserTests {
    static let librtmpOpen = Array(
        ("POST /open/1 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nAccept: */*\r\nUser-Agent: Shockwave Flash\r\n"
            + "Connection: Keep-Alive\r\nCache-Control: no-cache\r\nContent-type: application/x-fcs\r\n"
            + "Content-length: 1\r\n\r\n\u{0}").utf8)

    @Test func librtmpRequestParses() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        try parser.append(Self.librtmpOpen[...])
        let request = try #require(try parser.nextRequest())
        #expect(request.method == "POST")
        #expect(request.target == "/open/1")
        #expect(request.body == [0])
        #expect(request.headers.values(for: "content-type") == ["application/x-fcs"])
        #expect(request.headers.count == 7)
        #expect(try parser.nextRequest() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func serialisationRoundTrips() throws {
        let request = HTTPRequest(
            method: "POST", target: "/send/ABC/3",
            headers: [HTTPHeader("Host", "h:80"), HTTPHeader("Content-Length", "3")], body: [1, 2, 3]
        )
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        try parser.append(request.serialized()[...])
        #expect(try parser.nextRequest() == request)
        let response = HTTPResponse(
            status: 200, reason: "OK", headers: [HTTPHeader("Content-Length", "2")], body: [1, 9]
        )
        var responses = HTTPParser(kind: .response, limits: HTTPLimits())
        try responses.append(response.serialized()[...])
        #expect(try responses.nextResponse() == response)
    }

    /// Three pipelined requests fed one byte at a time: each appears exactly when its last byte does.
    @Test func pipelinedOneByteAtATime() throws {
        let second = Array("POST /idle/X/0 HTTP/1.1\nContent-Length: 1\n\n\u{0}".utf8)
        let third = Array("GET /fcs/ident2 HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let stream = Self.librtmpOpen + second + third
        let ends = [Self.librtmpOpen.count, Self.librtmpOpen.count + second.count, stream.count]
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        var seen: [(Int, HTTPRequest)] = []
        for (index, byte) in stream.enumerated() {
            try parser.append([byte][...])
            while let request = try parser.nextRequest() { seen.append((index + 1, request)) }
        }
        #expect(seen.map(\.0) == ends)
        #expect(seen.map(\.1.target) == ["/open/1", "/idle/X/0", "/fcs/ident2"])
        #expect(seen[2].1.body.isEmpty)
    }

    @Test func absoluteURIsReduceToTheirPath() {
        let request = HTTPRequest(method: "POST", target: "http://example.com:80/open/1", headers: [], body: [])
        #expect(request.path == "/open/1")
        #expect(HTTPRequest(method: "GET", target: "http://example.com", headers: [], body: []).path == "/")
        #expect(HTTPRequest(method: "GET", target: "/a/b", headers: [], body: []).path == "/a/b")
    }

    @Test(arguments: [
        ("POST /x HTTP/1.0\r\n\r\n", HTTPError.unsupportedVersion("HTTP/1.0")),
        ("POST /x HTTP/2.0\r\n\r\n", .unsupportedVersion("HTTP/2.0")),
        ("POST /x\r\n\r\n", .malformedStartLine("POST /x")),
        ("POST  /x HTTP/1.1\r\n\r\n", .malformedStartLine("POST  /x HTTP/1.1")),
        ("PO(ST /x HTTP/1.1\r\n\r\n", .malformedStartLine("PO(ST /x HTTP/1.1")),
        ("POST /x HTTQ/1.1\r\n\r\n", .malformedStartLine("POST /x HTTQ/1.1")),
        ("POST /x HTTP/1.1\r\nHost a\r\n\r\n", .malformedHeader("Host a")),
        ("POST /x HTTP/1.1\r\nHost : a\r\n\r\n", .malformedHeader("Host : a")),
        ("POST /x HTTP/1.1\r\nA: b\r\n  folded\r\n\r\n", .malformedHeader("  folded")),
        ("POST /x HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", .invalidContentLength("12a")),
        ("POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n", .invalidContentLength("-1")),
        ("POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .invalidContentLength("1, 2")),
        ("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
         .invalidContentLength("99999999999999999999")),
        ("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding("chunked")),
        ("POST /x HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", .bodyTooLarge(length: 2_000_000, limit: 1 << 20)),
    ])
    func brokenRequestsGiveTypedErrors(text: String, error: HTTPError) throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        try parser.append(Array(text.utf8)[...])
        #expect(throws: error) { try parser.nextRequest() }
        // The parser stays failed: the connection's framing is lost.
        #expect(throws: error) { try parser.nextRequest() }
    }

    @Test func headerLimitAtNMinus1AndN() throws {
        let limits = HTTPLimits(maxHeaderBytes: 64, maxBodyBytes: 16)
        // A head of exactly 64 bytes (request line + one header + empty line) parses.
        let line = "POST /x HTTP/1.1\r\n"
        let blank = "\r\n"
        let filler = 64 - line.utf8.count - blank.utf8.count - "A: \r\n".utf8.count
        let exact = line + "A: " + String(repeating: "v", count: filler) + "\r\n" + blank
        #expect(exact.utf8.count == 64)
        var ok = HTTPParser(kind: .request, limits: limits)
        try ok.append(Array(exact.utf8)[...])
        #expect(try ok.nextRequest() != nil)
        let over = line + "A: " + String(repeating: "v", count: filler + 1) + "\r\n" + blank
        var tooBig = HTTPParser(kind: .request, limits: limits)
        try tooBig.append(Array(over.utf8)[...])
        #expect(throws: HTTPError.headerTooLarge(limit: 64)) { try tooBig.nextRequest() }
    }

    @Test func endlessHeaderFailsWithoutAnEmptyLine() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits(maxHeaderBytes: 100, maxBodyBytes: 10))
        var failed: HTTPError?
        for _ in 0..<50 where failed == nil {
            do {
                try parser.append(Array("X-Long: aaaaaaaaaa".utf8)[...])
                _ = try parser.nextRequest()
            } catch {
                failed = error
            }
        }
        #expect(failed == .headerTooLarge(limit: 100))
    }

    @Test func bodyLimitAtNAndNPlus1() throws {
        let limits = HTTPLimits(maxHeaderBytes: 1024, maxBodyBytes: 4)
        var ok = HTTPParser(kind: .request, limits: limits)
        try ok.append(Array("POST /x HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd".utf8)[...])
        #expect(try ok.nextRequest()?.body == Array("abcd".utf8))
        var tooBig = HTTPParser(kind: .request, limits: limits)
        try tooBig.append(Array("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\n".utf8)[...])
        #expect(throws: HTTPError.bodyTooLarge(length: 5, limit: 4)) { try tooBig.nextRequest() }
    }

    @Test func bufferedBytesAreBounded() throws {
        let limits = HTTPLimits(maxHeaderBytes: 32, maxBodyBytes: 32)
        var parser = HTTPParser(kind: .request, limits: limits)
        try parser.append([UInt8](repeating: 65, count: 96)[...])
        #expect(throws: HTTPError.pipelineTooDeep(limit: 96)) { try parser.append([65][...]) }
    }

    @Test func responsesAsLibrtmpAndProxiesSendThem() throws {
        var parser = HTTPParser(kind: .response, limits: HTTPLimits())
        try parser.append(Array("HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n\u{1}\u{2}".utf8)[...])
        let ok = try #require(try parser.nextResponse())
        #expect(ok.status == 200 && ok.reason.isEmpty && ok.body == [1, 2])
        // A proxy's error page without Content-Length: handed out at once with its status.
        var proxy = HTTPParser(kind: .response, limits: HTTPLimits())
        try proxy.append(Array("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n<html>".utf8)[...])
        let forbidden = try #require(try proxy.nextResponse())
        #expect(forbidden.status == 403 && forbidden.reason == "Forbidden")
        var chunked = HTTPParser(kind: .response, limits: HTTPLimits())
        try chunked.append(Array("HTTP/1.1 502 Bad Gateway\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n".utf8)[...])
        #expect(try chunked.nextResponse()?.status == 502)
        // A 200 without Content-Length cannot be framed.
        var unframed = HTTPParser(kind: .response, limits: HTTPLimits())
        try unframed.append(Array("HTTP/1.1 200 OK\r\n\r\n".utf8)[...])
        #expect(throws: HTTPError.missingContentLength) { try unframed.nextResponse() }
        var old = HTTPParser(kind: .response, limits: HTTPLimits())
        try old.append(Array("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)[...])
        #expect(throws: HTTPError.unsupportedVersion("HTTP/1.0")) { try old.nextResponse() }
        var badCode = HTTPParser(kind: .response, limits: HTTPLimits())
        try badCode.append(Array("HTTP/1.1 2x0 OK\r\n\r\n".utf8)[...])
        #expect(throws: HTTPError.malformedStartLine("HTTP/1.1 2x0 OK")) { try badCode.nextResponse() }
    }

    @Test func leadingEmptyLinesAreSkipped() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        try parser.append(Array("\r\n\r\nPOST /idle/A/1 HTTP/1.1\r\n\r\n".utf8)[...])
        #expect(try parser.nextRequest()?.target == "/idle/A/1")
    }

    /// Names match whatever the ASCII letters' case, and nothing else is folded: `[` and `{` differ by
    /// the same bit as `A` and `a` but are different characters.
    @Test func headerNamesCompareIgnoringASCIICaseOnly() {
        let headers = [
            HTTPHeader("Content-length", "1"), HTTPHeader("CONTENT-LENGTH", "2"), HTTPHeader("Content-Lengths", "3"),
            HTTPHeader("Content-Lengt", "4"), HTTPHeader("X-[", "5"), HTTPHeader("x-{", "6"),
        ]
        #expect(headers.values(for: "content-Length") == ["1", "2"])
        #expect(headers.values(for: "x-[") == ["5"])
        #expect(headers.values(for: "X-{") == ["6"])
        #expect(headers.values(for: "") == [])
        #expect(HTTPRequest.hasPrefixIgnoringASCIICase("HTTP://a/b", "http://"))
        #expect(!HTTPRequest.hasPrefixIgnoringASCIICase("http:/", "http://"))
        #expect(!HTTPRequest.hasPrefixIgnoringASCIICase("hTTp;//", "http://"))
    }

    /// The exact bytes a request and a response serialise to.
    @Test func serialisedBytesAreExact() {
        let request = HTTPRequest(
            method: "POST", target: "/idle/AB/2",
            headers: [HTTPHeader("Host", "h:80"), HTTPHeader("Content-length", "1")], body: [0]
        )
        #expect(request.serialized() == Array("POST /idle/AB/2 HTTP/1.1\r\nHost: h:80\r\nContent-length: 1\r\n\r\n\u{0}".utf8))
        let response = HTTPResponse(status: 404, reason: "Not Found", headers: [], body: [])
        #expect(response.serialized() == Array("HTTP/1.1 404 Not Found\r\n\r\n".utf8))
    }

    /// A message that ends exactly where the bytes end empties the buffer; a message split across
    /// appends right after that still parses, and so does one already pipelined behind it.
    @Test func parsingContinuesAfterTheBufferEmpties() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits())
        let one = Array("POST /send/A/1 HTTP/1.1\r\nContent-Length: 2\r\n\r\nab".utf8)
        try parser.append(one[...])
        #expect(try parser.nextRequest()?.body == Array("ab".utf8))
        #expect(parser.bufferedByteCount == 0)
        try parser.append(one[..<20])
        #expect(try parser.nextRequest() == nil)
        try parser.append(one[20...] + one)
        #expect(try parser.nextRequest()?.target == "/send/A/1")
        #expect(parser.bufferedByteCount == one.count)
        #expect(try parser.nextRequest()?.body == Array("ab".utf8))
        #expect(try parser.nextRequest() == nil)
    }

    /// Long pipelines keep memory proportional to what is held (the consumed prefix is dropped).
    @Test func longPipelineCompacts() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits(maxHeaderBytes: 256, maxBodyBytes: 256))
        let one = Array("POST /idle/A/1 HTTP/1.1\r\nContent-Length: 1\r\n\r\n\u{0}".utf8)
        var count = 0
        for _ in 0..<2000 {
            try parser.append(one[...])
            while try parser.nextRequest() != nil { count += 1 }
        }
        #expect(count == 2000)
        #expect(parser.bufferedByteCount == 0)
    }
}
