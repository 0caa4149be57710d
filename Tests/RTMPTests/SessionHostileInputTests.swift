import Testing
@testable import RTMP

/// Random and mutated bytes into both sessions: every case must end in `.wait`, a typed outcome or
/// a typed observation, never a trap, and the sessions must not hold more than their limits allow.
@Suite struct SessionHostileInputTests {
    static let limits = RTMPChunkDecoder.Limits(maxMessageSize: 16 * 1024, maxChunkSize: 16 * 1024, maxChunkStreams: 8)

    /// A valid client byte stream: C0+C1+C2, connect, and what ffmpeg sends next.
    static func validClientStream() -> [UInt8] {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        var client = RTMPHandshakeClient(mode: .digest, seed: 11)
        let c0c1 = client.start()
        guard case .completed(let c2, _, _) = client.received(server.received(c0c1[...]).bytes[...]) else { return c0c1 }
        return c0c1 + c2 + CapturedVectors.ffmpegConnect + CapturedVectors.ffmpegAfterResult
    }

    /// A valid server byte stream for `RTMPClientSession(seed: 3)`: S0+S1+S2 and nginx's reply.
    static func validServerStream() -> [UInt8] {
        var client = RTMPClientSession(configuration: ClientSessionTests.ffmpegLike, seed: 3)
        var server = RTMPHandshakeServer(seed: 99)
        guard case .reply(let reply) = server.received(client.start().bytes[...]) else { return [] }
        return reply + CapturedVectors.nginxConnectReply
    }

    @Test func serverSessionSurvivesHostileBytes() {
        var random = WireTestRandom(seed: 0x5E55)
        let valid = Self.validClientStream()
        var closedWithError = 0
        let behaviours: [RTMPServerSession.Behavior] = [.accept, .reject(description: "x"), .redirect(url: "rtmp://e/a"), .silent]
        for case_ in 0..<2000 {
            var input: [UInt8]
            switch case_ % 4 {
            case 0: input = random.bytes(Int.random(in: 1...3200, using: &random))
            case 1: input = [0x03] + random.bytes(Int.random(in: 1...4000, using: &random))
            case 2: input = valid + random.bytes(Int.random(in: 1...600, using: &random))
            default:
                // Mutations after the handshake keep reaching the chunk and message layers.
                let head = Array(valid.prefix(3073))
                input = head + random.mutate(Array(valid.dropFirst(3073)))
            }
            let configuration = RTMPServerSession.Configuration(
                behavior: behaviours[case_ % behaviours.count],
                delay: case_ % 3 == 0 ? .milliseconds(1) : .zero, chunkLimits: Self.limits)
            var server = RTMPServerSession(configuration: configuration, seed: UInt64(case_))
            var closed = false
            for piece in random.split(input, maxPiece: 700) where !closed {
                let action = server.received(piece)
                if action.closes {
                    closed = true
                    if action.observed.contains(where: { if case .protocolError = $0 { true } else { false } }) {
                        closedWithError += 1
                    }
                }
                if case .sendAndScheduleTimer = action { _ = server.timerFired(.thinkTime) }
            }
            _ = server.closed()
        }
        #expect(closedWithError > 500)
    }

    @Test func clientSessionSurvivesHostileBytes() {
        var random = WireTestRandom(seed: 0xC1E7)
        let valid = Self.validServerStream()
        var outcomes: [String: Int] = [:]
        for case_ in 0..<2000 {
            var input: [UInt8]
            switch case_ % 3 {
            case 0: input = random.bytes(Int.random(in: 1...3500, using: &random))
            case 1: input = Array(valid.prefix(3073)) + random.bytes(Int.random(in: 1...800, using: &random))
            default: input = Array(valid.prefix(3073)) + random.mutate(Array(valid.dropFirst(3073)))
            }
            var client = RTMPClientSession(configuration: .init(
                app: "live", tcUrl: "rtmp://127.0.0.1:19352/live", chunkLimits: Self.limits), seed: 3)
            _ = client.start()
            var outcome: RTMPClientSession.Outcome?
            for piece in random.split(input, maxPiece: 900) {
                if let o = client.received(piece).outcome, outcome == nil { outcome = o }
            }
            if outcome == nil { outcome = client.closed().outcome }
            let key: String
            switch outcome {
            case .success: key = "success"
            case .rejected: key = "rejected"
            case .redirect: key = "redirect"
            case .protocolError: key = "protocolError"
            case .closedByPeer: key = "closedByPeer"
            case nil: key = "none"
            }
            outcomes[key, default: 0] += 1
        }
        // Every case ends with an outcome once the connection closes.
        #expect(outcomes["none"] == nil)
        #expect((outcomes["protocolError"] ?? 0) > 500)
        #expect((outcomes["success"] ?? 0) > 0)
    }

    @Test func oversizedMessagesAreRefusedBeforeTheyAreBuffered() throws {
        var (client, _) = ClientSessionTests.handshaken(.init(
            app: "live", tcUrl: "rtmp://h:1935/live", chunkLimits: Self.limits))
        // A 16 MiB − 1 message header: refused at the header, nothing of it buffered.
        let action = client.received(hex("03 00 00 00 FF FF FF 12 00 00 00 00")[...])
        #expect(action.outcome == .protocolError(.chunk(.messageTooLarge(length: 0xFF_FFFF, limit: 16 * 1024))))
    }
}
