import Testing
@testable import RTMP

/// The server playing ``SyntheticVideo`` to `play`: what it sends at the start, the frame timer as
/// a transcript, the duration rtmpdump's --stop asks for, and the ends of a play.
@Suite struct ServerMediaTests {
    let video = SyntheticVideo()

    /// A connected server with media, and a stream created (id 1).
    func connected(_ configuration: RTMPServerSession.Configuration) throws -> (RTMPServerSession, RawReader, RTMPChunkEncoder) {
        var server = RTMPServerSession(configuration: configuration, seed: 5)
        let (_, c2) = ServerSessionTests.handshake(&server)
        var reader = RawReader()
        _ = try reader.read(server.received((c2 + CapturedVectors.ffmpegConnect)[...]).bytes)
        var encoder = RTMPChunkEncoder()
        let create = try encoder.encode(try RTMPMessage.command(RTMPCommand(name: "createStream", transactionID: 4)).raw(chunkStreamID: 3))
        _ = try reader.read(server.received(create[...]).bytes)
        return (server, reader, encoder)
    }

    static func command(_ command: RTMPCommand, stream: UInt32, _ encoder: inout RTMPChunkEncoder) throws -> ArraySlice<UInt8> {
        try encoder.encode(try RTMPMessage.command(command).raw(chunkStreamID: 8, messageStreamID: stream))[...]
    }

    @Test func playStartsLikeALiveMediaServerAndSendsTheFirstPictureAtOnce() throws {
        var (server, reader, encoder) = try connected(.init(playableStreams: nil, media: .synthetic(video)))
        let action = server.received(try Self.command(RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x")]), stream: 1, &encoder))
        guard case .sendAndScheduleTimer(let bytes, _, .nextFrame, let after) = action else {
            Issue.record("play with media must start the frame timer: \(action)")
            return
        }
        #expect(after == .milliseconds(100))
        let sent = try reader.read(bytes)
        #expect(sent == [
            .userControl(.streamBegin(streamID: 1)),
            ServerSessionTests.status("status", "NetStream.Play.Reset", "Playing and resetting"),
            ServerSessionTests.status("status", "NetStream.Play.Start", "Start live"),
            .other(typeID: RTMPMessageType.amf0Data, payload: try AMF0Encoder.encode([.string("onMetaData"), .ecmaArray(video.metadata)])),
            .other(typeID: RTMPMessageType.video, payload: video.sequenceHeaderTag),
            .other(typeID: RTMPMessageType.video, payload: video.frameTag(0)),
        ])
    }

    @Test func eachTimerSendsTheNextPictureWithItsTimestampUntilTheStreamIsDeleted() throws {
        var (server, reader, encoder) = try connected(.init(playableStreams: nil, media: .synthetic(video)))
        _ = try reader.read(server.received(try Self.command(RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x")]), stream: 1, &encoder)).bytes)
        for frame in 1...3 {
            let action = server.timerFired(.nextFrame)
            guard case .sendAndScheduleTimer(let bytes, [], .nextFrame, .milliseconds(100)) = action else {
                Issue.record("frame \(frame): \(action)")
                return
            }
            let raws = try reader.raws(bytes)
            try #require(raws.count == 1)
            let raw = raws[0]
            #expect(raw.typeID == RTMPMessageType.video && raw.messageStreamID == 1)
            #expect(raw.timestamp == UInt32(frame * 100))
            #expect(raw.payload == video.frameTag(frame))
        }
        _ = server.received(try Self.command(RTMPCommand(name: "deleteStream", transactionID: 6, arguments: [.number(1)]), stream: 0, &encoder))
        // The timer that was already due finds nothing playing and ends.
        #expect(server.timerFired(.nextFrame) == .wait)
    }

    @Test func aPlayDurationEndsThePlayWithStreamEOFAndPlayStop() throws {
        var (server, reader, encoder) = try connected(.init(playableStreams: nil, media: .synthetic(video)))
        // play("x", start -2, 250 ms): pictures 0, 1 and 2 (the one at 200 ms), then the end.
        let play = RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x"), .number(-2), .number(250)])
        _ = try reader.read(server.received(try Self.command(play, stream: 1, &encoder)).bytes)
        _ = try reader.read(server.timerFired(.nextFrame).bytes)
        let last = server.timerFired(.nextFrame)
        guard case .send(let bytes, []) = last else {
            Issue.record("the last picture ends the timer: \(last)")
            return
        }
        #expect(try reader.read(bytes) == [
            .other(typeID: RTMPMessageType.video, payload: video.frameTag(2)),
            .userControl(.streamEOF(streamID: 1)),
            ServerSessionTests.status("status", "NetStream.Play.Stop", "Stopped playing."),
        ])
    }

    @Test func closingWhilePlayingCancelsTheFrameTimerAndALateOneIsIgnored() throws {
        var (server, _, encoder) = try connected(.init(playableStreams: nil, media: .synthetic(video)))
        _ = server.received(try Self.command(RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x")]), stream: 1, &encoder))
        #expect(server.closed() == .cancelTimer(.nextFrame))
        #expect(server.timerFired(.nextFrame) == .wait)
    }

    @Test func withoutMediaPlayIsAnsweredAsBeforeAndNoTimerRuns() throws {
        var (server, reader, encoder) = try connected(.init(playableStreams: nil))
        let action = server.received(try Self.command(RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x")]), stream: 1, &encoder))
        guard case .send(let bytes, _) = action else {
            Issue.record("no media, no timer: \(action)")
            return
        }
        #expect(try reader.read(bytes) == [
            .userControl(.streamBegin(streamID: 1)), ServerSessionTests.status("status", "NetStream.Play.Start", "Start live"),
        ])
    }
}

/// The server's output as raw messages (timestamps and stream ids kept) or decoded ones, one chunk
/// stream state across reads (the server's Set Chunk Size applies to what follows).
struct RawReader {
    private var decoder = RTMPChunkDecoder()

    mutating func raws(_ bytes: [UInt8]) throws -> [RTMPRawMessage] {
        decoder.append(bytes[...])
        var out: [RTMPRawMessage] = []
        while let raw = try decoder.nextMessage() { out.append(raw) }
        return out
    }

    mutating func read(_ bytes: [UInt8]) throws -> [RTMPMessage] {
        try raws(bytes).map { try RTMPMessage(decoding: $0) }
    }
}
