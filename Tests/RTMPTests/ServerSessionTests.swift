import Testing
@testable import RTMP

@Suite struct ServerSessionTests {
    /// C0+C1 and C2 of a client handshake against `server`, using this module's client handshake.
    static func handshake(_ server: inout RTMPServerSession, mode: HandshakeMode = .digest)
        -> (reply: RTMPServerSession.Action, c2: [UInt8])
    {
        var client = RTMPHandshakeClient(mode: mode, seed: 11)
        let reply = server.received(client.start()[...])
        guard case .completed(let c2, _, _) = client.received(reply.bytes[...]) else {
            Issue.record("client handshake did not complete")
            return (reply, [])
        }
        return (reply, c2)
    }

    static let connectObserved: [RTMPServerSession.Observation] = [
        .handshakeCompleted(clientUsedDigest: true),
        .connectReceived(app: "live", flashVer: "LNX 9,0,124,2", tcUrl: "rtmp://127.0.0.1:19352/live"),
    ]

    /// nginx's captured reply followed by onBWDone (type 0 header, like everything nginx sends).
    static func expectedAcceptBytes() throws -> [UInt8] {
        var encoder = RTMPChunkEncoder(chunkSize: 4096)
        return CapturedVectors.nginxConnectReply
            + (try encoder.encode(try RTMPMessage.command(RTMPCommand(name: "onBWDone", transactionID: 0)).raw()))
    }

    @Test func acceptAnswersLikeNginxThenOnBWDone() throws {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        #expect(server.start() == .wait)
        let (reply, c2) = Self.handshake(&server)
        #expect(reply.bytes.count == 3073)
        #expect(reply.observed.isEmpty)
        let action = server.received((c2 + CapturedVectors.ffmpegConnect)[...])
        #expect(action == .send(try Self.expectedAcceptBytes(),
                                observed: Self.connectObserved + [.connectAnswered(.accepted)]))
        // ffmpeg's next bytes: its window ack and createStream (txn 2) → _result with stream id 1.
        var reader = MessageReader()
        _ = try reader.read(action.bytes)
        let next = server.received(CapturedVectors.ffmpegAfterResult[...])
        #expect(try reader.read(next.bytes) == [.command(RTMPCommand(name: "_result", transactionID: 2, arguments: [.number(1)]))])
    }

    @Test func plainClientIsObservedAsPlain() {
        var server = RTMPServerSession(configuration: .init(behavior: .closeAfterHandshake), seed: 5)
        let (reply, c2) = Self.handshake(&server, mode: .plain)
        #expect(Array(reply.bytes[5..<9]) == [0, 0, 0, 0])
        #expect(server.received(c2[...]) == .sendAndClose([], observed: [.handshakeCompleted(clientUsedDigest: false)]))
        #expect(server.received([1, 2, 3][...]) == .wait)
    }

    @Test func closeAfterHandshakeWhenEverythingArrivesAtOnce() {
        var server = RTMPServerSession(configuration: .init(behavior: .closeAfterHandshake), seed: 5)
        var client = RTMPHandshakeClient(mode: .plain, seed: 11)
        let c0c1 = client.start()
        // A pipelining client (librtmp over RTMPT can do this): C0+C1+C2 in one read, C2 = zeros.
        let action = server.received((c0c1 + [UInt8](repeating: 0, count: 1536))[...])
        #expect(action.closes)
        #expect(action.bytes.count == 3073)
        #expect(action.observed == [.handshakeCompleted(clientUsedDigest: false)])
    }

    @Test func thinkTimeIsATimerAndNothingIsSentBeforeIt() throws {
        var server = RTMPServerSession(configuration: .init(delay: .milliseconds(10)), seed: 5)
        let (_, c2) = Self.handshake(&server)
        #expect(server.received((c2 + CapturedVectors.ffmpegConnect)[...])
                == .sendAndScheduleTimer([], observed: Self.connectObserved, timer: .thinkTime, after: .milliseconds(10)))
        // createStream while thinking: queued, answered after connect's _result.
        let createStream = Array(CapturedVectors.ffmpegAfterResult.dropFirst(16))
        #expect(server.received(createStream[...]) == .wait)
        let fired = server.timerFired(.thinkTime)
        var reader = MessageReader()
        let sent = try reader.read(fired.bytes)
        #expect(fired.observed == [.connectAnswered(.accepted)])
        #expect(sent.count == 6)
        #expect(Array(fired.bytes.prefix(CapturedVectors.nginxConnectReply.count)) == CapturedVectors.nginxConnectReply)
        #expect(sent.last == .command(RTMPCommand(name: "_result", transactionID: 2, arguments: [.number(1)])))
        #expect(server.timerFired(.thinkTime) == .wait)
    }

    @Test func thinkTimeOnAVirtualClockAtNMinusOneAndN() {
        var pair = SessionPair(client: ClientSessionTests.ffmpegLike, server: .init(delay: .milliseconds(250)))
        pair.start()
        #expect(pair.clientPhases == [.handshakeSent, .handshakeDone(serverDigestVerified: true), .connectSent])
        pair.advance(to: .milliseconds(249))
        #expect(pair.clientOutcome == nil)
        pair.advance(to: .milliseconds(250))
        #expect(pair.clientPhases.last == .result)
        guard case .success(let info) = pair.clientOutcome else {
            Issue.record("no success: \(String(describing: pair.clientOutcome))")
            return
        }
        #expect(info.fmsVer == "FMS/3,0,1,123")
        #expect(info.capabilities == 31)
    }

    @Test func closedWhileThinkingCancelsTheTimer() {
        var server = RTMPServerSession(configuration: .init(delay: .seconds(1)), seed: 5)
        let (_, c2) = Self.handshake(&server)
        _ = server.received((c2 + CapturedVectors.ffmpegConnect)[...])
        #expect(server.closed() == .cancelTimer(.thinkTime))
        #expect(server.timerFired(.thinkTime) == .wait)
        #expect(server.closed() == .wait)
    }

    @Test func rejectSendsErrorAndCloses() throws {
        var server = RTMPServerSession(configuration: .init(behavior: .reject(description: "No such app")), seed: 5)
        let (_, c2) = Self.handshake(&server)
        let action = server.received((c2 + CapturedVectors.ffmpegConnect)[...])
        #expect(action.closes)
        #expect(action.observed == Self.connectObserved + [.connectAnswered(.rejected)])
        #expect(try messages(in: action.bytes) == [.command(RTMPCommand(name: "_error", transactionID: 1, arguments: [
            .object(["level": .string("error"), "code": .string("NetConnection.Connect.Rejected"),
                     "description": .string("No such app")]),
        ]))])
    }

    @Test func eachBehaviourEndToEnd() {
        let cases: [(RTMPServerSession.Configuration, RTMPClientSession.Outcome?)] = [
            (.init(), nil),
            (.init(behavior: .reject(description: "go away")), .rejected(description: "go away")),
            (.init(behavior: .redirect(url: "rtmp://edge/live")), .redirect(url: "rtmp://edge/live")),
            (.init(behavior: .redirect(url: "rtmp://edge/live"), redirectCommand: .onStatus), .redirect(url: "rtmp://edge/live")),
            (.init(behavior: .silent), nil),
            (.init(behavior: .closeAfterHandshake), .closedByPeer),
            (.init(behavior: .reject(description: "late"), delay: .milliseconds(5)), nil),
        ]
        for (configuration, expected) in cases {
            var pair = SessionPair(client: ClientSessionTests.ffmpegLike, server: configuration)
            pair.start()
            if configuration.behavior == .accept {
                guard case .success = pair.clientOutcome else {
                    Issue.record("accept: \(String(describing: pair.clientOutcome))")
                    continue
                }
            } else {
                #expect(pair.clientOutcome == expected, "\(configuration.behavior)")
            }
        }
        var late = SessionPair(client: ClientSessionTests.ffmpegLike,
                               server: .init(behavior: .reject(description: "late"), delay: .milliseconds(5)))
        late.start()
        late.advance(to: .milliseconds(4))
        #expect(late.clientOutcome == nil)
        late.advance(to: .milliseconds(5))
        #expect(late.clientOutcome == .rejected(description: "late"))
        var silent = SessionPair(client: ClientSessionTests.ffmpegLike, server: .init(behavior: .silent))
        silent.start()
        silent.advance(to: .seconds(60))
        #expect(silent.clientOutcome == nil)
        #expect(silent.observations == [
            .handshakeCompleted(clientUsedDigest: true),
            .connectReceived(app: "live", flashVer: "LNX 9,0,124,2", tcUrl: "rtmp://127.0.0.1:19352/live"),
        ])
    }

    /// Runs a connected server through follow-up commands and returns what it sent for each.
    static func serve(_ configuration: RTMPServerSession.Configuration, _ commands: [(RTMPCommand, UInt32)]) throws
        -> [[RTMPMessage]]
    {
        var server = RTMPServerSession(configuration: configuration, seed: 5)
        let (_, c2) = handshake(&server)
        var reader = MessageReader()
        _ = try reader.read(server.received((c2 + CapturedVectors.ffmpegConnect)[...]).bytes)
        var encoder = RTMPChunkEncoder()
        var out: [[RTMPMessage]] = []
        for (command, stream) in commands {
            let bytes = try encoder.encode(try RTMPMessage.command(command).raw(chunkStreamID: 8, messageStreamID: stream))
            out.append(try reader.read(server.received(bytes[...]).bytes))
        }
        return out
    }

    static func status(_ level: String, _ code: String, _ description: String) -> RTMPMessage {
        .command(RTMPCommand(name: "onStatus", transactionID: 0, arguments: [
            .object(["level": .string(level), "code": .string(code), "description": .string(description)]),
        ]))
    }

    @Test func followUpCommands() throws {
        let answers = try Self.serve(.init(playableStreams: ["known"]), [
            (RTMPCommand(name: "releaseStream", transactionID: 2, arguments: [.string("s")]), 0),
            (RTMPCommand(name: "FCPublish", transactionID: 3, arguments: [.string("s")]), 0),
            (RTMPCommand(name: "createStream", transactionID: 4), 0),
            (RTMPCommand(name: "createStream", transactionID: 5), 0),
            (RTMPCommand(name: "publish", transactionID: 6, arguments: [.string("s"), .string("live")]), 1),
            (RTMPCommand(name: "play", transactionID: 7, arguments: [.string("known")]), 2),
            (RTMPCommand(name: "play", transactionID: 8, arguments: [.string("missing")]), 2),
            (RTMPCommand(name: "deleteStream", transactionID: 9, arguments: [.number(1)]), 0),
            (RTMPCommand(name: "_checkbw", transactionID: 10), 0),
            (RTMPCommand(name: "getStreamLength", transactionID: 11, arguments: [.string("x")]), 0),
            (RTMPCommand(name: "noSuchMethod", transactionID: 0), 0),
        ])
        #expect(answers[0] == [.command(RTMPCommand(name: "_result", transactionID: 2, arguments: [.undefined]))])
        #expect(answers[1] == [.command(RTMPCommand(name: "_result", transactionID: 3, arguments: [.undefined]))])
        #expect(answers[2] == [.command(RTMPCommand(name: "_result", transactionID: 4, arguments: [.number(1)]))])
        #expect(answers[3] == [.command(RTMPCommand(name: "_result", transactionID: 5, arguments: [.number(2)]))])
        #expect(answers[4] == [.userControl(.streamBegin(streamID: 1)),
                               Self.status("status", "NetStream.Publish.Start", "Start publishing")])
        #expect(answers[5] == [.userControl(.streamBegin(streamID: 2)),
                               Self.status("status", "NetStream.Play.Start", "Start live")])
        #expect(answers[6] == [Self.status("error", "NetStream.Play.StreamNotFound", "No such stream")])
        #expect(answers[7] == [])
        // onBWDone went out after _result already: no second one (ffmpeg would answer it again).
        #expect(answers[8] == [.command(RTMPCommand(name: "_result", transactionID: 10, arguments: [.undefined]))])
        // Unknown calls go unanswered like nginx: ffmpeg fails on an `_error` for getStreamLength.
        #expect(answers[9] == [])
        #expect(answers[10] == [])
    }

    @Test func checkBandwidthGetsOnBWDoneWhenNoneWasSent() throws {
        let answers = try Self.serve(.init(sendsBandwidthDone: false), [
            (RTMPCommand(name: "_checkbw", transactionID: 2), 0),
            (RTMPCommand(name: "_checkbw", transactionID: 3), 0),
        ])
        #expect(answers[0] == [.command(RTMPCommand(name: "onBWDone", transactionID: 0))])
        #expect(answers[1] == [.command(RTMPCommand(name: "_result", transactionID: 3, arguments: [.undefined]))])
    }

    @Test func objectEncodingIsEchoed() throws {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        let (_, c2) = Self.handshake(&server)
        let command = RTMPClientSession(configuration: .init(app: "a", tcUrl: "rtmp://h:1935/a", objectEncoding: 3), seed: 0)
            .connectCommand()
        var encoder = RTMPChunkEncoder()
        let bytes = try encoder.encode(try RTMPMessage.command(command).raw())
        let sent = try messages(in: server.received((c2 + bytes)[...]).bytes)
        guard case .command(let result) = sent[3] else {
            Issue.record("no _result")
            return
        }
        #expect(result.information?["objectEncoding"] == .number(3))
    }

    @Test func createStreamIsBounded() throws {
        let commands = (0..<(RTMPServerSession.maxOpenStreams + 1)).map {
            (RTMPCommand(name: "createStream", transactionID: Double($0 + 2)), UInt32(0))
        }
        let answers = try Self.serve(.init(), commands)
        #expect(answers[RTMPServerSession.maxOpenStreams - 1]
                == [.command(RTMPCommand(name: "_result", transactionID: Double(RTMPServerSession.maxOpenStreams + 1),
                                         arguments: [.number(Double(RTMPServerSession.maxOpenStreams))]))])
        guard case .command(let last) = answers.last?.first else {
            Issue.record("no answer")
            return
        }
        #expect(last.name == "_error")
    }

    @Test func floodDuringThinkTimeIsBounded() throws {
        var server = RTMPServerSession(configuration: .init(delay: .seconds(1)), seed: 5)
        let (_, c2) = Self.handshake(&server)
        _ = server.received((c2 + CapturedVectors.ffmpegConnect)[...])
        var encoder = RTMPChunkEncoder()
        for i in 0..<RTMPServerSession.maxPendingCommands {
            let bytes = try encoder.encode(try RTMPMessage.command(RTMPCommand(name: "x", transactionID: Double(i))).raw(chunkStreamID: 9))
            #expect(server.received(bytes[...]) == .wait)
        }
        let bytes = try encoder.encode(try RTMPMessage.command(RTMPCommand(name: "x", transactionID: 99)).raw(chunkStreamID: 9))
        #expect(server.received(bytes[...])
                == .sendAndClose([], observed: [.protocolError(.tooManyPendingCommands(limit: RTMPServerSession.maxPendingCommands))]))
    }

    @Test func badClientBytesAreTypedErrors() {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        #expect(server.received(Array("GET / HTTP/1.1\r\n".utf8)[...])
                == .sendAndClose([], observed: [.protocolError(.handshake(.unsupportedVersion(0x47)))]))
        var rtmpe = RTMPServerSession(configuration: .init(), seed: 5)
        #expect(rtmpe.received([0x06][...])
                == .sendAndClose([], observed: [.protocolError(.handshake(.encryptionNotSupported(version: 6)))]))
        var chunky = RTMPServerSession(configuration: .init(), seed: 5)
        let (_, c2) = Self.handshake(&chunky)
        #expect(chunky.received((c2 + [0xC3, 0x00])[...])
                == .sendAndClose([], observed: [.handshakeCompleted(clientUsedDigest: true),
                                                .protocolError(.chunk(.missingPreviousHeader(chunkStreamID: 3, format: 3)))]))
    }
}

extension ServerSessionTests {
    @Test func serverOutputIsSplitInvariant() {
        let stream = SessionHostileInputTests.validClientStream()
        func run(_ pieces: [ArraySlice<UInt8>]) -> ([UInt8], [RTMPServerSession.Observation]) {
            var server = RTMPServerSession(configuration: .init(), seed: 5)
            var bytes: [UInt8] = []
            var observed: [RTMPServerSession.Observation] = []
            for piece in pieces {
                let action = server.received(piece)
                bytes += action.bytes
                observed += action.observed
            }
            return (bytes, observed)
        }
        let whole = run([stream[...]])
        #expect(whole.1 == Self.connectObserved + [.connectAnswered(.accepted)])
        #expect(run(stream.indices.map { stream[$0...$0] }) == whole)
        var random = WireTestRandom(seed: 12)
        for _ in 0..<100 {
            #expect(run(random.split(stream, maxPiece: 2000)) == whole)
        }
    }
}

extension ServerSessionTests {
    @Test func librtmpSessionIsServedToTheEnd() throws {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        let (_, c2) = Self.handshake(&server, mode: .plain)
        let action = server.received((c2 + CapturedVectors.librtmpSession)[...])
        #expect(action.observed == [
            .handshakeCompleted(clientUsedDigest: false),
            .connectReceived(app: "live", flashVer: "LNX 10,0,32,18", tcUrl: "rtmp://127.0.0.1:19372/live"),
            .connectAnswered(.accepted),
        ])
        let sent = try messages(in: action.bytes)
        let commands = sent.compactMap { message -> RTMPCommand? in
            if case .command(let c) = message { return c }
            return nil
        }
        #expect(commands.map(\.name) == ["_result", "onBWDone", "_result", "_result", "onStatus"])
        #expect(commands[2] == RTMPCommand(name: "_result", transactionID: 2, arguments: [.number(1)]))
        #expect(commands[3] == RTMPCommand(name: "_result", transactionID: 4, arguments: [.undefined]))
        // No media is served, so the play is answered as a media server answers a stream it lacks.
        #expect(commands[4].information?["code"] == .string("NetStream.Play.StreamNotFound"))
        #expect(commands[4].information?["level"] == .string("error"))
        #expect(!sent.contains(.userControl(.streamBegin(streamID: 1))))
        #expect(server.closed() == .wait)

        // Told that every name plays, the same session gets StreamBegin and Play.Start.
        var playing = RTMPServerSession(configuration: .init(playableStreams: nil), seed: 5)
        let (_, c2Playing) = Self.handshake(&playing, mode: .plain)
        let played = try messages(in: playing.received((c2Playing + CapturedVectors.librtmpSession)[...]).bytes)
        let playedStatus = played.compactMap { message -> RTMPCommand? in
            if case .command(let c) = message, c.name == "onStatus" { return c }
            return nil
        }
        #expect(playedStatus.map { $0.information?["code"] } == [.string("NetStream.Play.Start")])
        #expect(played.contains(.userControl(.streamBegin(streamID: 1))))
    }
}

extension ServerSessionTests {
    @Test func serverAcknowledgesTheClientsWindow() throws {
        var server = RTMPServerSession(configuration: .init(), seed: 5)
        let (_, c2) = Self.handshake(&server)
        var reader = MessageReader()
        _ = try reader.read(server.received((c2 + CapturedVectors.ffmpegConnect)[...]).bytes)
        // The client asks for an acknowledgement every 300 bytes; connect was 210 of them.
        var encoder = RTMPChunkEncoder()
        let window = try encoder.encode(try RTMPMessage.windowAcknowledgementSize(300).raw())
        #expect(window.count == 16)
        #expect(server.received(window[...]) == .wait)
        let filler = try encoder.encode(try RTMPMessage.other(typeID: 18, payload: [UInt8](repeating: 1, count: 61)).raw(chunkStreamID: 9))
        #expect(filler.count == 73)
        #expect(try reader.read(server.received(filler[...]).bytes) == [])           // 299: N−1
        #expect(try reader.read(server.received([0x09][...]).bytes) == [.acknowledgement(sequenceNumber: 300)])  // N
    }
}

extension ServerSessionTests {
    @Test func sameSeedSameBytes() {
        let stream = SessionHostileInputTests.validClientStream()
        var a = RTMPServerSession(configuration: .init(), seed: 42)
        var b = RTMPServerSession(configuration: .init(), seed: 42)
        var c = RTMPServerSession(configuration: .init(), seed: 43)
        let (x, y, z) = (a.received(stream[...]).bytes, b.received(stream[...]).bytes, c.received(stream[...]).bytes)
        #expect(x == y)
        #expect(x != z)
    }
}
