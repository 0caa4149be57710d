import Testing
@testable import RTMP

/// The client's play: what it sends after connect, which phases it reaches, and what ends it, against
/// this module's server session and against hand-made server messages.
@Suite struct ClientPlayTests {
    static let client = RTMPClientSession.Configuration(app: "live", tcUrl: "rtmp://127.0.0.1:1935/live")
    static let mediaServer = RTMPServerSession.Configuration(
        playableStreams: nil, media: .synthetic(SyntheticVideo()))

    @Test func playsToTheFirstPictureAgainstOurServer() throws {
        var pair = SessionPair(client: Self.client, server: Self.mediaServer)
        pair.start()
        guard case .success = pair.clientOutcome else {
            Issue.record("no connect: \(String(describing: pair.clientOutcome))")
            return
        }
        pair.play("stream")
        #expect(pair.clientPlayOutcome == .firstFrame)
        #expect(Array(pair.clientPhases.suffix(3)) == [.streamCreated, .playStarted, .firstFrame])
    }

    @Test func aStreamTheServerDoesNotHaveFailsWithItsDescription() {
        // The default server plays nothing: every name is StreamNotFound.
        var pair = SessionPair(client: Self.client, server: RTMPServerSession.Configuration())
        pair.start()
        pair.play("missing")
        #expect(pair.clientPlayOutcome == .failed(description: "No such stream"))
        #expect(pair.clientPhases.last == .streamCreated)
    }

    @Test func whatTheClientSendsIsWhatFFmpegSends() throws {
        var (client, action) = ClientSessionTests.handshaken(Self.client)
        #expect(action.phases.last == .connectSent)
        let connected = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "_result", transactionID: 1, arguments: [ClientSessionTests.info(["code": .string("NetConnection.Connect.Success")])])),
        ])[...])
        guard case .finish(.success, _, _) = connected else {
            Issue.record("not connected: \(connected)")
            return
        }
        // The client compresses chunk headers against what it sent before: read from connect on
        // (after C2's 1536 bytes).
        var reader = MessageReader()
        _ = try reader.read(Array(action.bytes.dropFirst(1536)) + connected.bytes)
        let createStream = try reader.read(client.play("cam").bytes)
        #expect(createStream == [.command(RTMPCommand(name: "createStream", transactionID: 2))])
        let created = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "_result", transactionID: 2, arguments: [.number(1)])),
        ])[...])
        #expect(created.phases == [.streamCreated])
        let sent = try reader.read(created.bytes)
        #expect(sent == [
            .command(RTMPCommand(name: "play", transactionID: 0, arguments: [.string("cam"), .number(-2)])),
            .userControl(.setBufferLength(streamID: 1, milliseconds: 3_000)),
        ])
    }

    /// A client waiting for its picture on stream 1, and the encoder of the server's side.
    static func playing() throws -> (RTMPClientSession, RTMPChunkEncoder) {
        var (client, _) = ClientSessionTests.handshaken(Self.client)
        var encoder = RTMPChunkEncoder()
        func bytes(_ message: RTMPMessage, stream: UInt32 = 0) throws -> ArraySlice<UInt8> {
            try encoder.encode(try message.raw(messageStreamID: stream))[...]
        }
        _ = client.received(try bytes(.command(RTMPCommand(name: "_result", transactionID: 1, arguments: [.null]))))
        _ = client.play("cam")
        _ = client.received(try bytes(.command(RTMPCommand(name: "_result", transactionID: 2, arguments: [.number(1)]))))
        return (client, encoder)
    }

    @Test func theDecoderConfigurationIsNotAPictureButTheNextKeyframeIs() throws {
        var (client, encoder) = try Self.playing()
        let video = SyntheticVideo()
        let header = try encoder.encode(try RTMPMessage.other(typeID: RTMPMessageType.video, payload: video.sequenceHeaderTag).raw(messageStreamID: 1))
        let headerAction = client.received(header[...])
        #expect(headerAction.playOutcome == nil)
        // A picture on another stream is not this play's.
        let elsewhere = try encoder.encode(try RTMPMessage.other(typeID: RTMPMessageType.video, payload: video.frameTag(0)).raw(messageStreamID: 2))
        #expect(client.received(elsewhere[...]).playOutcome == nil)
        let picture = try encoder.encode(try RTMPMessage.other(typeID: RTMPMessageType.video, payload: video.frameTag(0)).raw(messageStreamID: 1))
        let action = client.received(picture[...])
        #expect(action.playOutcome == .firstFrame)
        #expect(action.phases == [.firstFrame])
    }

    @Test func keyframePictures() {
        // FLV frame type 1, AVC: NALU (1) is a picture, the sequence header (0) is not.
        #expect(RTMPClientSession.isKeyframePicture([0x17, 0x01, 0, 0, 0]))
        #expect(!RTMPClientSession.isKeyframePicture([0x17, 0x00, 0, 0, 0]))
        // An inter frame is not a keyframe; Sorenson H.263 (2) keyframes have no packet type.
        #expect(!RTMPClientSession.isKeyframePicture([0x27, 0x01]))
        #expect(RTMPClientSession.isKeyframePicture([0x12, 0x00]))
        // Enhanced RTMP: frame type in bits 4–6, CodedFrames (1) and CodedFramesX (3) are pictures,
        // SequenceStart (0) is not.
        #expect(RTMPClientSession.isKeyframePicture([0x91, 0x68, 0x76, 0x63, 0x31]))
        #expect(RTMPClientSession.isKeyframePicture([0x93, 0x68, 0x76, 0x63, 0x31]))
        #expect(!RTMPClientSession.isKeyframePicture([0x90, 0x68, 0x76, 0x63, 0x31]))
        #expect(!RTMPClientSession.isKeyframePicture([]))
    }

    @Test func aCloseOrAStopBeforeThePictureFailsThePlay() throws {
        var (closing, _) = try Self.playing()
        #expect(closing.closed().playOutcome == .failed(description: RTMPClientSession.closedBeforeFirstFrame))
        var (stopped, encoder) = try Self.playing()
        let stop = try encoder.encode(try RTMPMessage.command(RTMPCommand(
            name: "onStatus", transactionID: 0,
            arguments: [ClientSessionTests.info(["level": .string("status"), "code": .string("NetStream.Play.Stop")])]))
            .raw(messageStreamID: 1))
        #expect(stopped.received(stop[...]).playOutcome == .failed(description: "NetStream.Play.Stop"))
    }

    @Test func aCreateStreamErrorFailsThePlay() throws {
        var (client, _) = ClientSessionTests.handshaken(Self.client)
        _ = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "_result", transactionID: 1, arguments: [.null])),
        ])[...])
        _ = client.play("cam")
        let action = client.received(try ClientSessionTests.serverBytes([
            .command(RTMPCommand(name: "_error", transactionID: 2, arguments: [ClientSessionTests.info(["code": .string("NetConnection.Call.Failed")])])),
        ])[...])
        #expect(action.playOutcome == .failed(description: "createStream: NetConnection.Call.Failed"))
    }

    @Test func playingBeforeConnectTraps() async {
        await #expect(processExitsWith: .failure) {
            var client = RTMPClientSession(configuration: Self.client, seed: 1)
            _ = client.start()
            _ = client.play("cam")
        }
    }
}
