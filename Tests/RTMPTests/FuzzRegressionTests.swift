import Testing
@testable import RTMP

/// Inputs the fuzz targets (Fuzz/Sources, docs/reliability.md) found, kept so they stay fixed.
@Suite struct FuzzRegressionTests {
    /// fuzz-rtmpt: a request target with bytes ≥ 0x80 was decoded with U+FFFD in their place, so the
    /// path the tunnel handled was not the path on the wire (and re-serializing the request grew it
    /// past the header limit). A URI is ASCII; such a request line is now malformed.
    @Test func requestTargetWithBytesAbove0x7FIsMalformed() throws {
        var parser = HTTPParser(kind: .request, limits: HTTPLimits(maxHeaderBytes: 200, maxBodyBytes: 300))
        let head = Array("POST /".utf8) + [UInt8](repeating: 0xFF, count: 80)
            + Array("open/1 HTTP/1.1\r\nHost: h: 2\r\n\r\n".utf8)
        try parser.append(head[...])
        #expect(throws: HTTPError.self) { try parser.nextRequest() }
        var plain = HTTPParser(kind: .request, limits: HTTPLimits())
        try plain.append(Array("POST /open/%FF HTTP/1.1\r\n\r\n".utf8)[...])
        #expect(try plain.nextRequest()?.target == "/open/%FF")
    }

    /// The server tunnel answers such a request with 400 and closes, as for any broken request.
    @Test func serverTunnelAnswersANonASCIITargetWith400() {
        var tunnel = RTMPTServerTunnel(seed: 1)
        let request = Array("POST /open/".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nContent-Length: 1\r\n\r\n\u{0}".utf8)
        guard case .write(let reply) = tunnel.received(request[...], on: 1) else {
            Issue.record("no reply")
            return
        }
        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        guard case .closeConnection = tunnel.next(on: 1) else {
            Issue.record("the connection stayed open")
            return
        }
        #expect(tunnel.sessionIDs.isEmpty)
    }
}
