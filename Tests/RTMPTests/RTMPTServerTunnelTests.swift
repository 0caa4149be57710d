import Testing
@testable import RTMP

/// The server tunnel as transcripts: librtmp's requests, polling bytes, several sessions, 404s,
/// pipelining split anywhere, and broken HTTP.
@Suite struct RTMPTServerTunnelTests {
    /// A request exactly as librtmp writes it (headers and spelling from its HTTP_Post).
    static func librtmp(_ path: String, body: [UInt8] = [0], host: String = "127.0.0.1:1935") -> [UInt8] {
        Array(
            ("POST \(path) HTTP/1.1\r\nHost: \(host)\r\nAccept: */*\r\nUser-Agent: Shockwave Flash\r\n"
                + "Connection: Keep-Alive\r\nCache-Control: no-cache\r\nContent-type: application/x-fcs\r\n"
                + "Content-length: \(body.count)\r\n\r\n").utf8) + body
    }

    static func response(_ bytes: [UInt8]) throws -> HTTPResponse {
        var parser = HTTPParser(kind: .response, limits: HTTPLimits())
        try parser.append(bytes[...])
        let response = try #require(try parser.nextResponse())
        #expect(parser.bufferedByteCount == 0, "exactly one response")
        return response
    }

    static func body(_ action: RTMPTServerTunnel.Action) throws -> [UInt8] {
        guard case .write(let bytes) = action else {
            Issue.record("expected a write, got \(action)")
            return []
        }
        let response = try response(bytes)
        #expect(response.status == 200)
        return response.body
    }

    static func status(_ action: RTMPTServerTunnel.Action) throws -> Int {
        guard case .write(let bytes) = action else {
            Issue.record("expected a write, got \(action)")
            return 0
        }
        return try response(bytes).status
    }

    /// Opens a session on `connection` and returns its id.
    static func open(_ tunnel: inout RTMPTServerTunnel, on connection: Int = 1) throws -> String {
        guard case .sessionOpened(let id) = tunnel.received(librtmp("/open/1")[...], on: connection) else {
            Issue.record("no session opened")
            return ""
        }
        #expect(try body(tunnel.next(on: connection)) == Array("\(id)\n".utf8))
        #expect(tunnel.next(on: connection) == .wait)
        return id
    }

    @Test func openAnswersA16CharacterIdWithTheExactHeaders() throws {
        var tunnel = RTMPTServerTunnel(seed: 1)
        guard case .sessionOpened(let id) = tunnel.received(Self.librtmp("/open/1")[...], on: 7) else {
            Issue.record("no session")
            return
        }
        #expect(id.count == 16)
        guard case .write(let bytes) = tunnel.next(on: 7) else {
            Issue.record("no reply")
            return
        }
        let expected = "HTTP/1.1 200 OK\r\nContent-Length: 17\r\nContent-Type: application/x-fcs\r\n"
            + "Cache-Control: no-cache\r\nConnection: Keep-Alive\r\n\r\n\(id)\n"
        #expect(bytes == Array(expected.utf8))
        #expect(tunnel.sessionIDs == [id])
        // Same seed, same ids.
        var again = RTMPTServerTunnel(seed: 1)
        #expect(again.received(Self.librtmp("/open/1")[...], on: 1) == .sessionOpened(id))
    }

    @Test func sendIsDeliveredAndAnsweredOnlyAfterTheSessionReacted() throws {
        var tunnel = RTMPTServerTunnel(seed: 2)
        let id = try Self.open(&tunnel)
        let c0c1: [UInt8] = [3] + [UInt8](repeating: 7, count: 20)
        #expect(tunnel.received(Self.librtmp("/send/\(id)/0", body: c0c1)[...], on: 1) == .deliver(session: id, bytes: c0c1))
        let queued = tunnel.enqueue(session: id, bytes: [3, 9, 9])
        #expect(queued)
        #expect(try Self.body(tunnel.next(on: 1)) == [1, 3, 9, 9])
        #expect(tunnel.next(on: 1) == .wait)
        // Bytes the session produces later (a timer, say) wait for the next poll.
        let queuedLater = tunnel.enqueue(session: id, bytes: [5])
        #expect(queuedLater)
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/1")[...], on: 1)) == [1, 5])
        #expect(tunnel.next(on: 1) == .wait)
    }

    /// Red5's polling byte: 1 for ten empty replies, then delay+1 with the delay doubling to 32.
    @Test func pollingByteBacksOffAfterTenEmptyRepliesAndResetsOnData() throws {
        var tunnel = RTMPTServerTunnel(seed: 3)
        let id = try Self.open(&tunnel)
        var bytes: [UInt8] = []
        for seq in 0..<17 {
            let body = try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/\(seq)")[...], on: 1))
            #expect(body.count == 1)
            bytes.append(body[0])
            #expect(tunnel.next(on: 1) == .wait)
        }
        #expect(bytes == [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 5, 9, 17, 33, 33, 33])
        tunnel.enqueue(session: id, bytes: [0x42])
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/17")[...], on: 1)) == [1, 0x42])
        _ = tunnel.next(on: 1)
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/18")[...], on: 1)) == [1])
    }

    @Test func clientCloseEndsTheSessionAndLaterRequestsGet404() throws {
        var tunnel = RTMPTServerTunnel(seed: 4)
        let id = try Self.open(&tunnel)
        #expect(tunnel.received(Self.librtmp("/close/\(id)/0")[...], on: 1) == .sessionClosed(id))
        #expect(try Self.body(tunnel.next(on: 1)) == [0])
        #expect(tunnel.sessionIDs.isEmpty)
        #expect(tunnel.next(on: 1) == .wait)
        #expect(try Self.status(tunnel.received(Self.librtmp("/idle/\(id)/1")[...], on: 1)) == 404)
        #expect(tunnel.enqueue(session: id, bytes: [1]) == false)
    }

    /// A session is kept by the first sweep after its last request and dropped by the second; a
    /// request between sweeps keeps it another period. Requests for a dropped session get 404.
    @Test func sweepDropsASessionAfterAWholePeriodWithoutRequests() throws {
        var tunnel = RTMPTServerTunnel(seed: 9)
        let quiet = try Self.open(&tunnel)
        let busy = try Self.open(&tunnel)
        #expect(tunnel.sweepInactiveSessions().isEmpty, "opened since the last sweep")
        _ = tunnel.received(Self.librtmp("/idle/\(busy)/1")[...], on: 1)
        #expect(tunnel.next(on: 1) == .wait)
        #expect(tunnel.sweepInactiveSessions() == [quiet])
        #expect(tunnel.sessionIDs == [busy])
        #expect(try Self.status(tunnel.received(Self.librtmp("/idle/\(quiet)/2")[...], on: 1)) == 404)
        #expect(tunnel.next(on: 1) == .wait)
        // A /send counts as a request too.
        #expect(tunnel.received(Self.librtmp("/send/\(busy)/3", body: [3])[...], on: 1) == .deliver(session: busy, bytes: [3]))
        _ = tunnel.next(on: 1)
        #expect(tunnel.sweepInactiveSessions().isEmpty)
        #expect(tunnel.sweepInactiveSessions() == [busy])
        #expect(tunnel.sessionIDs.isEmpty)
    }

    @Test func serverSideCloseIsAnnouncedWithPollingByteZeroAfterTheQueuedBytes() throws {
        var tunnel = RTMPTServerTunnel(seed: 5)
        let id = try Self.open(&tunnel)
        tunnel.enqueue(session: id, bytes: [0xEE])
        let closing = tunnel.closeSession(id)
        #expect(closing)
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/0")[...], on: 1)) == [1, 0xEE])
        _ = tunnel.next(on: 1)
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/1")[...], on: 1)) == [0])
        _ = tunnel.next(on: 1)
        #expect(tunnel.sessionIDs.isEmpty)
        #expect(tunnel.closeSession(id) == false)
    }

    @Test func droppedSessionsAreForgottenAtOnce() throws {
        var tunnel = RTMPTServerTunnel(seed: 13)
        let id = try Self.open(&tunnel)
        tunnel.enqueue(session: id, bytes: [1, 2])
        let dropped = tunnel.dropSession(id)
        #expect(dropped)
        #expect(tunnel.sessionIDs.isEmpty)
        #expect(try Self.status(tunnel.received(Self.librtmp("/idle/\(id)/0")[...], on: 1)) == 404)
        let again = tunnel.dropSession(id)
        #expect(again == false)
    }

    @Test(arguments: [
        "/fcs/ident2", "/", "/open", "/open/x", "/send/NOSUCHSESSION000/0", "/idle/NOSUCHSESSION000/0",
        "/close/NOSUCHSESSION000/0", "/send//0", "/index.html", "/open/1/extra",
    ])
    func unknownPathsAndSessionsGet404AndTheConnectionGoesOn(path: String) throws {
        var tunnel = RTMPTServerTunnel(seed: 6)
        #expect(try Self.status(tunnel.received(Self.librtmp(path)[...], on: 1)) == 404)
        #expect(tunnel.next(on: 1) == .wait)
        _ = try Self.open(&tunnel)
    }

    @Test func knownSessionWithBadSequenceIs404() throws {
        var tunnel = RTMPTServerTunnel(seed: 6)
        let id = try Self.open(&tunnel)
        #expect(try Self.status(tunnel.received(Self.librtmp("/idle/\(id)/x")[...], on: 1)) == 404)
    }

    @Test func fcsIdent2AsFlashPlayerSendsIt() throws {
        var tunnel = RTMPTServerTunnel(seed: 6)
        let ident = Array("POST /fcs/ident2 HTTP/1.1\r\nContent-Type: application/x-fcs\r\nContent-Length: 1\r\n\r\n\u{0}".utf8)
        #expect(try Self.status(tunnel.received(ident[...], on: 1)) == 404)
        #expect(tunnel.sessionIDs.isEmpty)
    }

    @Test func nonPostIs405() throws {
        var tunnel = RTMPTServerTunnel(seed: 6)
        #expect(try Self.status(tunnel.received(Array("GET /open/1 HTTP/1.1\r\n\r\n".utf8)[...], on: 1)) == 405)
        #expect(tunnel.sessionIDs.isEmpty)
    }

    @Test func severalSessionsOnSeveralConnectionsStayApart() throws {
        var tunnel = RTMPTServerTunnel(seed: 7)
        let a = try Self.open(&tunnel, on: 1)
        let b = try Self.open(&tunnel, on: 2)
        #expect(a != b)
        #expect(tunnel.sessionIDs == [a, b].sorted())
        #expect(tunnel.received(Self.librtmp("/send/\(a)/0", body: [0xA])[...], on: 1) == .deliver(session: a, bytes: [0xA]))
        #expect(tunnel.received(Self.librtmp("/send/\(b)/0", body: [0xB])[...], on: 2) == .deliver(session: b, bytes: [0xB]))
        tunnel.enqueue(session: b, bytes: [0xBB])
        tunnel.enqueue(session: a, bytes: [0xAA])
        #expect(try Self.body(tunnel.next(on: 2)) == [1, 0xBB])
        #expect(try Self.body(tunnel.next(on: 1)) == [1, 0xAA])
        // A session continues on a new connection (the old one closed).
        tunnel.connectionClosed(1)
        tunnel.enqueue(session: a, bytes: [0xA2])
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(a)/1")[...], on: 3)) == [1, 0xA2])
    }

    @Test func sessionLimitAnswers503() throws {
        var tunnel = RTMPTServerTunnel(seed: 8, configuration: .init(maxSessions: 2))
        _ = try Self.open(&tunnel)
        _ = try Self.open(&tunnel)
        #expect(try Self.status(tunnel.received(Self.librtmp("/open/1")[...], on: 1)) == 503)
    }

    /// librtmp's opening burst (open, then C0+C1, C2 and connect each in its own POST, pipelined),
    /// run through the runtime loop whole and then one byte at a time: the same steps either way.
    @Test func pipelinedLibrtmpBurstSplitAnywhereGivesTheSameSteps() throws {
        var probe = RTMPTServerTunnel(seed: 9)
        guard case .sessionOpened(let id) = probe.received(Self.librtmp("/open/1")[...], on: 1) else {
            Issue.record("no session")
            return
        }
        let c0c1 = [UInt8](repeating: 3, count: 1537)
        let c2 = [UInt8](repeating: 2, count: 1536)
        let connect = [UInt8](repeating: 0x14, count: 200)
        let stream = Self.librtmp("/open/1") + Self.librtmp("/send/\(id)/0", body: c0c1)
            + Self.librtmp("/send/\(id)/1", body: c2) + Self.librtmp("/send/\(id)/2", body: connect)
            + Self.librtmp("/idle/\(id)/3")

        func run(pieces: [ArraySlice<UInt8>]) -> [String] {
            var tunnel = RTMPTServerTunnel(seed: 9)
            var log: [String] = []
            var delivered = 0
            for piece in pieces {
                var action = tunnel.received(piece, on: 1)
                for _ in 0..<100 {
                    switch action {
                    case .wait: break
                    case .sessionOpened(let opened): log.append("open \(opened)")
                    case .deliver(let session, let bytes):
                        delivered += 1
                        log.append("deliver \(session) \(bytes.count)")
                        tunnel.enqueue(session: session, bytes: [UInt8](repeating: UInt8(delivered), count: delivered))
                    case .sessionClosed(let closed): log.append("close \(closed)")
                    case .write(let bytes): log.append("write \(bytes.count) \(bytes.suffix(4))")
                    case .closeConnection(let error): log.append("closeConnection \(error)")
                    }
                    if case .wait = action { break }
                    action = tunnel.next(on: 1)
                }
            }
            return log
        }
        let whole = run(pieces: [stream[...]])
        #expect(whole.count == 9)
        #expect(whole.first == "open \(id)")
        #expect(whole.filter { $0.hasPrefix("deliver") } == ["deliver \(id) 1537", "deliver \(id) 1536", "deliver \(id) 200"])
        let bytewise = run(pieces: stream.indices.map { stream[$0...$0] })
        #expect(bytewise == whole)
        var random = SplitMix64(seed: 99)
        var pieces: [ArraySlice<UInt8>] = []
        var offset = 0
        while offset < stream.count {
            let size = min(Int(random.next() % 300) + 1, stream.count - offset)
            pieces.append(stream[offset..<(offset + size)])
            offset += size
        }
        #expect(run(pieces: pieces) == whole)
    }

    @Test func brokenHTTPGets400AndTheConnectionCloses() throws {
        var tunnel = RTMPTServerTunnel(seed: 10)
        let id = try Self.open(&tunnel)
        guard case .write(let bytes) = tunnel.received(Array("POST /idle/\(id)/0 HTTP/1.1\r\nBad Header\r\n\r\n".utf8)[...], on: 1)
        else {
            Issue.record("no error response")
            return
        }
        let response = try Self.response(bytes)
        #expect(response.status == 400)
        #expect(response.headers.values(for: "Connection") == ["close"])
        #expect(tunnel.next(on: 1) == .closeConnection(.malformedHeader("Bad Header")))
        #expect(tunnel.next(on: 1) == .wait)
        #expect(tunnel.sessionIDs == [id], "the tunnel session outlives the broken connection")
    }

    @Test func oversizedRequestsGet413And431() throws {
        var tunnel = RTMPTServerTunnel(seed: 11, configuration: .init(limits: HTTPLimits(maxHeaderBytes: 256, maxBodyBytes: 8)))
        #expect(try Self.status(tunnel.received(Self.librtmp("/open/1", body: [UInt8](repeating: 0, count: 9))[...], on: 1)) == 413)
        #expect(tunnel.next(on: 1) == .closeConnection(.bodyTooLarge(length: 9, limit: 8)))
        let longHead = Array(("POST /open/1 HTTP/1.1\r\nX: " + String(repeating: "a", count: 300) + "\r\n\r\n").utf8)
        #expect(try Self.status(tunnel.received(longHead[...], on: 2)) == 431)
    }

    @Test func repliesAreCappedAtMaxReplyBytes() throws {
        var tunnel = RTMPTServerTunnel(seed: 12, configuration: .init(maxReplyBytes: 4))
        let id = try Self.open(&tunnel)
        tunnel.enqueue(session: id, bytes: Array(1...10))
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/0")[...], on: 1)) == [1, 1, 2, 3, 4])
        _ = tunnel.next(on: 1)
        #expect(try Self.body(tunnel.received(Self.librtmp("/idle/\(id)/1")[...], on: 1)) == [1, 5, 6, 7, 8])
    }

    /// Broken HTTP of every kind, split at random: each connection ends in `closeConnection` or keeps
    /// going, every write is a parseable response, and no step loop runs away.
    @Test func seededFuzzOfBrokenHTTP() throws {
        var random = SplitMix64(seed: 0xF0F0)
        let seeds: [[UInt8]] = [
            Self.librtmp("/open/1"), Self.librtmp("/idle/0000000000000000/0"), Self.librtmp("/fcs/ident2"),
            Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8),
        ]
        var closes = 0
        var writes = 0
        for round in 0..<300 {
            var tunnel = RTMPTServerTunnel(
                seed: UInt64(round), configuration: .init(limits: HTTPLimits(maxHeaderBytes: 512, maxBodyBytes: 512))
            )
            var stream: [UInt8] = []
            for _ in 0..<(1 + random.next() % 4) {
                var piece = seeds[Int(random.next() % UInt64(seeds.count))]
                switch random.next() % 4 {
                case 0: piece = random.bytes(Int(random.next() % 200))
                case 1:
                    for _ in 0..<(1 + random.next() % 3) {
                        piece[Int(random.next() % UInt64(piece.count))] = UInt8(truncatingIfNeeded: random.next())
                    }
                case 2: piece = Array(piece.prefix(Int(random.next() % UInt64(piece.count))))
                default: break
                }
                stream += piece
            }
            var closed = false
            var offset = 0
            while offset < stream.count, !closed {
                let size = min(Int(random.next() % 64) + 1, stream.count - offset)
                var action = tunnel.received(stream[offset..<(offset + size)], on: 1)
                offset += size
                var steps = 0
                stepping: while steps < 1000 {
                    steps += 1
                    switch action {
                    case .wait: break stepping
                    case .closeConnection: closed = true; closes += 1; break stepping
                    case .write(let bytes):
                        writes += 1
                        _ = try Self.response(bytes)
                    case .deliver(let session, _): tunnel.enqueue(session: session, bytes: [1])
                    case .sessionOpened, .sessionClosed: break
                    }
                    action = tunnel.next(on: 1)
                }
                #expect(steps < 1000)
            }
        }
        #expect(closes > 50, "the fuzz reaches the error paths")
        #expect(writes > 100)
    }
}
