import Connector
import RTMP
import Testing
import TestSupport

import LiveNet
import RunCore

/// `connect --play`: our client goes on after the connect to a stream's first frame, against our
/// server with media (the first frame comes), without media (every play is
/// `NetStream.Play.StreamNotFound`), and with media that never shows a picture (the caller's timeout
/// ends the play, not the connect).
@Suite("LiveClient playing from LiveServer", .timeLimit(.minutes(5)))
struct LiveClientPlayTests {
    static func serve(
        _ session: RTMPServerSession.Configuration, _ body: (Int, ServerEventLog) async throws -> Void
    ) async throws {
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)], session: session)
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            try await body(server.ports[0], log)
        }
    }

    static func play(
        _ stream: String, at port: Int, over transport: ServedProtocol, timeout: Duration = .seconds(20)
    ) async throws -> LiveConnectResult {
        let url = try ConnectURL(parsing: "\(transport.rawValue)://127.0.0.1:\(port)/live")
        return await LiveClient(options: .init(timeout: timeout, play: stream)).connect(to: url)
    }

    /// The server `serve --media synthetic` runs: every stream name plays the generated video.
    static let withMedia = RTMPServerSession.Configuration(playableStreams: nil, media: .synthetic(SyntheticVideo()))

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func theFirstFrameComesAfterTheConnect(over transport: ServedProtocol) async throws {
        try await Self.serve(Self.withMedia) { port, log in
            let result = try await Self.play("x", at: port, over: transport)
            #expect(result.achieved, "\(result.summary)")
            #expect(result.succeeded)
            #expect(result.play == .firstFrame)
            #expect(result.stream == "x")
            let connect = try #require(result.connectResult, "\(result.summary)")
            let created = try #require(result.streamCreated, "\(result.summary)")
            let started = try #require(result.playStarted, "\(result.summary)")
            let frame = try #require(result.firstFrame, "\(result.summary)")
            #expect(connect <= created && created <= started && started <= frame && frame <= result.elapsed)
            #expect(result.summary.hasPrefix("connected \(transport.rawValue)://127.0.0.1:\(port)/live in "), "\(result.summary)")
            #expect(result.summary.contains("; first frame of x in "), "\(result.summary)")
            // One connection: the play went on on the connect's own connection (a tunnel is one
            // session too, over one kept-alive TCP connection).
            #expect(log.connects.count == 1, "\(log.all)")
            #expect(log.all.filter { if case .accepted = $0.kind { true } else { false } }.count == 1, "\(log.all)")
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func aServerWithoutMediaFailsThePlayNotTheConnect(over transport: ServedProtocol) async throws {
        try await Self.serve(.init()) { port, _ in
            let result = try await Self.play("x", at: port, over: transport)
            #expect(result.succeeded, "\(result.summary)")
            #expect(!result.achieved)
            #expect(result.play == .failed("No such stream"), "\(result.summary)")
            #expect(result.connectResult != nil && result.streamCreated != nil, "\(result.summary)")
            #expect(result.firstFrame == nil)
            #expect(result.reason == "play x: No such stream")
            #expect(result.summary.hasPrefix("failed \(transport.rawValue)://127.0.0.1:\(port)/live: play x: No such stream in "), "\(result.summary)")
            #expect(result.summary.contains(", connect ") && result.summary.contains(", stream "), "\(result.summary)")
            // Decided by the server's answer, long before the caller's limit.
            #expect(result.elapsed < .seconds(10), "\(result.summary)")
        }
    }

    /// Media that only ever sends inter frames (H.263, frame type 2), the next one a minute on: the
    /// play starts and no picture a player could show arrives, so the caller's timeout ends it.
    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func theTimeoutBoundsThePlayToo(over transport: ServedProtocol) async throws {
        let interFrame: [UInt8] = [0x22, 0x00, 0x00, 0x84, 0x00]
        let media = FLVFile(tags: [
            FLVTag(typeID: RTMPMessageType.video, timestamp: 0, payload: interFrame),
            FLVTag(typeID: RTMPMessageType.video, timestamp: 60_000, payload: interFrame),
        ])
        try await Self.serve(.init(playableStreams: nil, media: .file(media))) { port, _ in
            let result = try await Self.play("x", at: port, over: transport, timeout: .seconds(3))
            #expect(result.succeeded, "\(result.summary)")
            #expect(result.play == .timeout, "\(result.summary)")
            #expect(result.playStarted != nil && result.firstFrame == nil, "\(result.summary)")
            #expect(result.elapsed >= .seconds(3) && result.elapsed < .seconds(6), "\(result.summary)")
            #expect(result.summary.contains(": play x: timeout in "), "\(result.summary)")
        }
    }

    /// Without a stream to play, nothing changes: the attempt ends at the connect's answer, even on
    /// a server with media.
    @Test func withoutAStreamTheAttemptEndsAtTheConnect() async throws {
        try await Self.serve(Self.withMedia) { port, _ in
            let url = try ConnectURL(parsing: "rtmp://127.0.0.1:\(port)/live")
            let result = await LiveClient(options: .init(timeout: .seconds(20))).connect(to: url)
            #expect(result.achieved && result.succeeded, "\(result.summary)")
            #expect(result.stream == nil && result.play == nil && result.streamCreated == nil)
            #expect(!result.summary.contains("first frame"))
        }
    }
}
