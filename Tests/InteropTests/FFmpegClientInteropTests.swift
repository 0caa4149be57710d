import Foundation
import LiveNet
import Testing
import RunCore
import TestSupport

/// ffmpeg as the client of our server: the handshake (ffmpeg always sends a digest C1 and validates
/// our S1/S2 when playing), `connect`, then `createStream` and `play`, over RTMP and through the
/// RTMPT tunnel on the same port.
@Suite("Interop: ffmpeg client → our server", .timeLimit(.minutes(5)))
struct FFmpegClientInteropTests {
    // Runs whenever ffmpeg is installed; in CI it always runs and fails if ffmpeg is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func ffmpegConnectsAndCreatesAStream(over transport: ServedProtocol) async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            let port = server.ports[0]
            let client = try TestProcess(ffmpeg, [
                "-nostdin", "-hide_banner", "-loglevel", "debug", "-rw_timeout", "5000000",
                "-i", "\(transport.rawValue)://127.0.0.1:\(port)/live/x", "-t", "1", "-f", "null", "-",
            ])
            let createdStream = await client.waitForOutput(containing: "Creating stream", timeout: .seconds(15))
            await client.stop()

            // ffmpeg's side: past the handshake and connect, on to createStream/play.
            #expect(createdStream, "ffmpeg never reached createStream:\n\(client.output)")
            #expect(client.output.contains("Handshaking..."))

            #expect(client.output.contains("Server version 3.5.1.1"), "\(client.output)")
            #expect(!client.output.contains("Server response errors"))
            // Our side: the connect with ffmpeg's own flashVer and tcUrl.
            let connects = log.connects
            try #require(connects.count == 1, "server events: \(log.all)")
            #expect(connects[0].app == "live")
            #expect(connects[0].flashVer == "LNX 9,0,124,2")
            #expect(connects[0].tcUrl == "\(transport.rawValue)://127.0.0.1:\(port)/live")
            #expect(connects[0].via == transport)
            #expect(log.all.contains { $0.kind == .handshakeCompleted(clientUsedDigest: true) })
        }
    }

    /// ffmpeg publishes a second of generated video: `releaseStream`, `FCPublish`, `createStream`,
    /// `publish` are answered (NetStream.Publish.Start), the media is taken, and ffmpeg ends with 0.
    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func ffmpegPublishesAndEndsCleanly(over transport: ServedProtocol) async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            let port = server.ports[0]
            let client = try TestProcess(ffmpeg, [
                "-nostdin", "-hide_banner", "-loglevel", "debug",
                "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-t", "1", "-c:v", "flv1",
                "-f", "flv", "\(transport.rawValue)://127.0.0.1:\(port)/live/published",
            ])
            let status = await client.waitForExit(timeout: .seconds(30))
            if status == nil { await client.stop(signal: SIGKILL) }
            #expect(status == 0, "\(client.output)")
            #expect(client.output.contains("Sending publish command for 'published'"), "\(client.output)")
            #expect(!client.output.contains("Server error"), "\(client.output)")
            let connects = log.connects
            try #require(connects.count == 1, "server events: \(log.all)")
            #expect(connects[0].flashVer.hasPrefix("FMLE/3.0"))
            #expect(connects[0].via == transport)
            // The server counted what ffmpeg sent: ten pictures (a second at 10 per second), and the
            // payload bytes ffmpeg reports as its video size (its figure rounded to whole KiB; each FLV
            // tag body carries one more byte, the codec header).
            //
            // Through the tunnel ffmpeg posts what it buffers only when it next reads, and its close
            // throws away what is still buffered before posting `/close` (`rt->out_size = 0` in
            // rtmp_http_close, libavformat/rtmphttp.c): the last picture may never leave ffmpeg (9 of
            // 10 arrived here), so RTMPT is held to "all but at most the last".
            let counted = await server.statistics()
            let reported = try #require(
                client.output.firstMatch(of: /video:(\d+)(?:KiB|kB)/).flatMap { Int($0.1) }, "\(client.output)")
            let payload = counted.mediaBytesReceived - counted.mediaMessagesReceived
            switch transport {
            case .rtmp:
                #expect(counted.mediaMessagesReceived == 10, "\(counted)")
                #expect(abs(payload - reported * 1024) <= 1024,
                        "server counted \(counted.mediaBytesReceived) bytes, ffmpeg reported video:\(reported)KiB")
            case .rtmpt, .rtmps:
                #expect((9...10).contains(counted.mediaMessagesReceived), "\(counted)")
                #expect(payload > 0 && payload <= reported * 1024 + 1024,
                        "server counted \(counted.mediaBytesReceived) bytes, ffmpeg reported video:\(reported)KiB")
            }
        }
    }
}
