import Testing
@testable import RTMP

@Suite struct ClientSessionTests {
    static let ffmpegLike = RTMPClientSession.Configuration(app: "live", tcUrl: "rtmp://127.0.0.1:19352/live")

    /// A client that has completed the handshake with this module's server handshake; returns the
    /// action that completed it (C2 + connect).
    static func handshaken(_ configuration: RTMPClientSession.Configuration = ffmpegLike, seed: UInt64 = 3)
        -> (RTMPClientSession, RTMPClientSession.Action)
    {
        var client = RTMPClientSession(configuration: configuration, seed: seed)
        var server = RTMPHandshakeServer(seed: 99)
        guard case .send(let c0c1, _) = client.start(), case .reply(let s0s1s2) = server.received(c0c1[...]) else {
            Issue.record("handshake did not start")
            return (client, .wait)
        }
        let action = client.received(s0s1s2[...])
        return (client, action)
    }

    /// Encodes `commands` the way a server would send them (chunk size 128).
    static func serverBytes(_ messages: [RTMPMessage]) throws -> [UInt8] {
        var encoder = RTMPChunkEncoder()
        var out: [UInt8] = []
        for m in messages { out += try encoder.encode(try m.raw()) }
        return out
    }

    static func info(_ pairs: KeyValuePairs<String, AMF0Value>) -> AMF0Value {
        .object(AMF0Object(pairs.map { AMF0Object.Property($0.key, $0.value) }))
    }

    @Test func aSecondStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var client = RTMPClientSession(configuration: .init(app: "a", tcUrl: "rtmp://h:1935/a"), seed: 1)
            _ = client.start()
            _ = client.start()
        }
    }

    @Test func startSendsDigestC0C1OnceAndHandshakeSentPhase() {
        var client = RTMPClientSession(configuration: Self.ffmpegLike, seed: 1)
        let action = client.start()
        #expect(action.phases == [.handshakeSent])
        #expect(action.bytes.count == 1537)
        #expect(action.bytes.first == 0x03)
        // ffmpeg's digest C1 version bytes (rtmp-wire.md).
        #expect(Array(action.bytes[5..<9]) == [0x09, 0x00, 0x7C, 0x02])
        var plain = RTMPClientSession(
            configuration: .init(app: "a", tcUrl: "rtmp://h:1935/a", handshakeMode: .plain), seed: 1)
        #expect(Array(plain.start().bytes[5..<9]) == [0, 0, 0, 0])
    }

    @Test func sameSeedSameBytes() {
        var a = RTMPClientSession(configuration: Self.ffmpegLike, seed: 77)
        var b = RTMPClientSession(configuration: Self.ffmpegLike, seed: 77)
        var c = RTMPClientSession(configuration: Self.ffmpegLike, seed: 78)
        let (x, y, z) = (a.start().bytes, b.start().bytes, c.start().bytes)
        #expect(x == y)
        #expect(x != z)
    }

    @Test func connectMatchesFFmpegByteForByte() {
        let (_, action) = Self.handshaken()
        #expect(action.phases == [.handshakeDone(serverDigestVerified: true), .connectSent])
        #expect(action.bytes.count == 1536 + CapturedVectors.ffmpegConnect.count)
        #expect(Array(action.bytes.dropFirst(1536)) == CapturedVectors.ffmpegConnect)
    }

    @Test func connectOptionalFieldsInFFmpegOrder() throws {
        let configuration = RTMPClientSession.Configuration(
            app: "vod", tcUrl: "rtmp://h:1935/vod", flashVer: "LNX 10,0,32,18", swfUrl: "http://s/p.swf",
            pageUrl: "http://s/", objectEncoding: 3)
        let command = RTMPClientSession(configuration: configuration, seed: 0).connectCommand()
        #expect(command.name == "connect")
        #expect(command.transactionID == 1)
        #expect(command.commandObject.objectValue?.properties.map(\.key) == [
            "app", "flashVer", "swfUrl", "tcUrl", "fpad", "capabilities", "audioCodecs", "videoCodecs",
            "videoFunction", "pageUrl", "objectEncoding",
        ])
        #expect(command.commandObject.objectValue?["flashVer"] == .string("LNX 10,0,32,18"))
    }

    @Test func nginxReplyGivesSuccessAndTheWindowAckFFmpegSends() {
        var (client, _) = Self.handshaken()
        let action = client.received(CapturedVectors.nginxConnectReply[...])
        let info = RTMPClientSession.ServerInfo(
            fmsVer: "FMS/3,0,1,123", capabilities: 31, code: "NetConnection.Connect.Success", objectEncoding: 0)
        // ffmpeg answered Set Peer Bandwidth with exactly these 16 bytes (captured).
        #expect(action == .finish(.success(info), send: Array(CapturedVectors.ffmpegAfterResult.prefix(16)),
                                  reached: [.result]))
    }

    @Test func resultIsSplitInvariant() {
        let reply = CapturedVectors.nginxConnectReply
        var (whole, _) = Self.handshaken()
        let expected = whole.received(reply[...])
        for cut in 1..<reply.count {
            var (client, _) = Self.handshaken()
            let first = client.received(reply[0..<cut])
            #expect(first.outcome == nil, "cut \(cut)")
            let second = client.received(reply[cut...])
            #expect(second.outcome == expected.outcome, "cut \(cut)")
            #expect(first.bytes + second.bytes == expected.bytes, "cut \(cut)")
        }
        var (oneByOne, _) = Self.handshaken()
        var outcomes: [RTMPClientSession.Outcome] = []
        for i in reply.indices { if let o = oneByOne.received(reply[i...i]).outcome { outcomes.append(o) } }
        #expect(outcomes == [expected.outcome!])
    }

    @Test func handshakeAndConnectInOneRead() throws {
        // A server that writes S0+S1+S2 and its answer together: the answer is in the leftover.
        var client = RTMPClientSession(configuration: Self.ffmpegLike, seed: 3)
        var server = RTMPHandshakeServer(seed: 99)
        guard case .reply(let s0s1s2) = server.received(client.start().bytes[...]) else {
            Issue.record("no reply")
            return
        }
        let action = client.received((s0s1s2 + CapturedVectors.nginxConnectReply)[...])
        #expect(action.phases == [.handshakeDone(serverDigestVerified: true), .connectSent, .result])
        guard case .success = action.outcome else {
            Issue.record("expected success, got \(String(describing: action.outcome))")
            return
        }
    }

    @Test func rejectedWithDescription() throws {
        var (client, _) = Self.handshaken()
        let bytes = try Self.serverBytes([.command(RTMPCommand(name: "_error", transactionID: 1, arguments: [
            Self.info(["level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                       "description": .string("[ AccessManager.Reject ] : No such app")]),
        ]))])
        #expect(client.received(bytes[...]) == .finish(.rejected(description: "[ AccessManager.Reject ] : No such app"),
                                                      send: [], reached: [.result]))
        #expect(client.received(bytes[...]) == .wait)
        #expect(client.closed() == .wait)
    }

    @Test func rejectionWithoutDescriptionFallsBackToTheCode() throws {
        var (client, _) = Self.handshaken()
        let bytes = try Self.serverBytes([.command(RTMPCommand(name: "_error", transactionID: 1, arguments: [
            Self.info(["level": .string("error"), "code": .string("NetConnection.Connect.Rejected")]),
        ]))])
        #expect(client.received(bytes[...]).outcome == .rejected(description: "NetConnection.Connect.Rejected"))
    }

    @Test func redirectViaErrorAndViaOnStatus() throws {
        for (name, txn) in [("_error", 1.0), ("onStatus", 0.0)] {
            var (client, _) = Self.handshaken()
            let bytes = try Self.serverBytes([.command(RTMPCommand(name: name, transactionID: txn, arguments: [
                Self.info(["level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                           "description": .string("RTMP 302 Redirect"),
                           "ex": Self.info(["code": .number(302), "redirect": .string("rtmp://edge.example.com/live")])]),
            ]))])
            #expect(client.received(bytes[...]) == .finish(.redirect(url: "rtmp://edge.example.com/live"), send: [],
                                                          reached: [.result]), "\(name)")
        }
    }

    @Test func answersToOtherTransactionsAndStatusesAreIgnored() throws {
        var (client, _) = Self.handshaken()
        let bytes = try Self.serverBytes([
            .command(RTMPCommand(name: "_result", transactionID: 2)),
            .command(RTMPCommand(name: "_error", transactionID: 5)),
            .command(RTMPCommand(name: "onStatus", transactionID: 0, arguments: [
                Self.info(["level": .string("status"), "code": .string("NetConnection.Connect.Success")]),
            ])),
            .command(RTMPCommand(name: "onBWDone", transactionID: 0)),
            .userControl(.streamBegin(streamID: 0)),
            .other(typeID: 18, payload: [0x05]),
        ])
        #expect(client.received(bytes[...]) == .wait)
        #expect(client.closed() == .finish(.closedByPeer, send: [], reached: []))
    }

    @Test func protocolControlIsAnsweredWhileWaiting() throws {
        var (client, handshake) = Self.handshaken()
        var sent = MessageReader()
        _ = try sent.read(Array(handshake.bytes.dropFirst(1536)))
        let ping = try Self.serverBytes([.userControl(.pingRequest(timestamp: 1234))])
        let action = client.received(ping[...])
        #expect(try sent.read(action.bytes) == [.userControl(.pingResponse(timestamp: 1234))])
        #expect(action.outcome == nil)
        // Window of 100 bytes: the acknowledgement comes once 100 chunk-stream bytes have arrived.
        let window = try Self.serverBytes([.windowAcknowledgementSize(100)])
        #expect(client.received(window[...]) == .wait)
        let filler = try Self.serverBytes([.other(typeID: 18, payload: [UInt8](repeating: 5, count: 80 - ping.count - window.count - 12))])
        #expect(ping.count + window.count + filler.count == 80)
        #expect(client.received(filler[...]) == .wait)
        let more = try Self.serverBytes([.other(typeID: 18, payload: [UInt8](repeating: 5, count: 7))])
        #expect(more.count == 19)
        #expect(client.received(more[...]) == .wait)  // 99 bytes: N−1
        let last = client.received([0x02][...])        // 100 bytes: N (a partial chunk still counts)
        #expect(try sent.read(last.bytes) == [.acknowledgement(sequenceNumber: 100)])
    }

    @Test func keepsAnsweringPingsAfterSuccess() throws {
        var (client, handshake) = Self.handshaken()
        var sent = MessageReader()
        _ = try sent.read(Array(handshake.bytes.dropFirst(1536)))
        #expect(try sent.read(client.received(CapturedVectors.nginxConnectReply[...]).bytes)
                == [.windowAcknowledgementSize(5_000_000)])
        var encoder = RTMPChunkEncoder(chunkSize: 4096)
        let ping = try encoder.encode(try RTMPMessage.userControl(.pingRequest(timestamp: 9)).raw())
        #expect(try sent.read(client.received(ping[...]).bytes) == [.userControl(.pingResponse(timestamp: 9))])
    }

    @Test func brokenStreamAfterSuccessIsAConnectionError() {
        var (client, _) = Self.handshaken()
        _ = client.received(CapturedVectors.nginxConnectReply[...])
        // A type 1 header on a chunk stream nginx never used.
        #expect(client.received([0x47, 0, 0, 0, 0, 0, 1, 8, 0][...])
                == .connectionError(.chunk(.missingPreviousHeader(chunkStreamID: 7, format: 1))))
        #expect(client.received([0x03][...]) == .wait)
    }

    @Test func closedBeforeAnyAnswer() {
        var idle = RTMPClientSession(configuration: Self.ffmpegLike, seed: 1)
        #expect(idle.closed() == .finish(.closedByPeer, send: [], reached: []))
        var handshaking = RTMPClientSession(configuration: Self.ffmpegLike, seed: 1)
        _ = handshaking.start()
        #expect(handshaking.received([0x03, 0x00][...]) == .wait)
        #expect(handshaking.closed() == .finish(.closedByPeer, send: [], reached: []))
        #expect(handshaking.closed() == .wait)
    }

    @Test func badServerBytesAreTypedProtocolErrors() throws {
        var client = RTMPClientSession(configuration: Self.ffmpegLike, seed: 1)
        _ = client.start()
        #expect(client.received(Array("HTTP/1.1 400 Bad Request\r\n".utf8)[...])
                == .finish(.protocolError(.handshake(.unsupportedVersion(0x48))), send: [], reached: []))
        var early = RTMPClientSession(configuration: Self.ffmpegLike, seed: 1)
        #expect(early.received([3][...]) == .finish(.protocolError(.handshake(.receivedBeforeStart)), send: [], reached: []))
        var (client2, _) = Self.handshaken()
        #expect(client2.received(hex("43 00 00 00 00 00 04 01 00 00 00 00")[...]).outcome
                == .protocolError(.chunk(.missingPreviousHeader(chunkStreamID: 3, format: 1))))
        var (client3, _) = Self.handshaken()
        #expect(client3.received(hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 00 00")[...]).outcome
                == .protocolError(.chunk(.invalidChunkSize(0))))
        var (client4, _) = Self.handshaken()
        #expect(client4.received(hex("03 00 00 00 00 00 03 14 00 00 00 00 02 00 05")[...]).outcome
                == .protocolError(.message(.amf0(.truncated(offset: 0)))))
    }

    @Test func requiresVerifiedServerRejectsAPlainServer() {
        var client = RTMPClientSession(configuration: .init(
            app: "live", tcUrl: "rtmp://h:1935/live", handshakeMode: .plain, requiresVerifiedServer: true), seed: 4)
        var server = RTMPHandshakeServer(seed: 5)
        guard case .reply(let reply) = server.received(client.start().bytes[...]) else {
            Issue.record("no reply")
            return
        }
        let action = client.received(reply[...])
        #expect(action.outcome == .protocolError(.serverDigestNotVerified))
        #expect(action.phases == [.handshakeDone(serverDigestVerified: false)])
        var verifying = RTMPClientSession(configuration: .init(
            app: "live", tcUrl: "rtmp://h:1935/live", requiresVerifiedServer: true), seed: 4)
        var server2 = RTMPHandshakeServer(seed: 5)
        guard case .reply(let reply2) = server2.received(verifying.start().bytes[...]) else {
            Issue.record("no reply")
            return
        }
        #expect(verifying.received(reply2[...]).phases == [.handshakeDone(serverDigestVerified: true), .connectSent])
    }
}

extension ClientSessionTests {
    @Test func ffmpegServerReplyGivesSuccess() throws {
        var (client, handshake) = Self.handshaken()
        var sent = MessageReader()
        _ = try sent.read(Array(handshake.bytes.dropFirst(1536)))
        let action = client.received(CapturedVectors.ffmpegServerReply[...])
        #expect(action.outcome == .success(.init(
            fmsVer: "FMS/3,0,1,123", capabilities: 31, code: "NetConnection.Connect.Success", objectEncoding: 0)))
        #expect(action.phases == [.result])
        // Its Set Peer Bandwidth (2 500 000) differs from what we announced: we announce it back.
        #expect(try sent.read(action.bytes) == [.windowAcknowledgementSize(2_500_000)])
    }
}

extension ClientSessionTests {
    @Test func successFollowedByGarbageInTheSameRead() {
        var (client, _) = Self.handshaken()
        let action = client.received((CapturedVectors.nginxConnectReply + [0x47, 0, 0, 0, 0, 0, 1, 8, 0])[...])
        guard case .success = action.outcome else {
            Issue.record("expected success first, got \(String(describing: action.outcome))")
            return
        }
        #expect(client.received([0x03][...]) == .connectionError(.chunk(.missingPreviousHeader(chunkStreamID: 7, format: 1))))
        #expect(client.received([0x03][...]) == .wait)
    }
}
