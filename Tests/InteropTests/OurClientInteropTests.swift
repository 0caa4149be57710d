import Connector
import Foundation
import LiveNet
import Testing
import TestSupport

/// Our client against real servers: nginx with the rtmp module, and ffmpeg listening.
@Suite("Interop: our client → real servers", .timeLimit(.minutes(5)))
struct OurClientInteropTests {
    // Runs whenever nginx is installed; in CI it always runs and fails if nginx or its module is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("nginx"), "nginx is not installed"))
    func connectsToNginxRTMP() async throws {
        let port = try LoopbackPorts.free()
        let nginx = try await NginxRTMP.start(port: port)
        let url = try ConnectURL(parsing: "rtmp://127.0.0.1:\(port)/live")
        let result = await LiveClient(options: .init(timeout: .seconds(20))).connect(to: url)
        // nginx logs the connect after it has answered; give its stderr a moment to arrive.
        let logged = await nginx.process.waitForOutput(containing: "connect: app='live'", timeout: .seconds(5))
        await nginx.stop()

        #expect(result.succeeded, "\(result.summary)\nnginx:\n\(nginx.process.output)")
        #expect(result.tcpConnected != nil && result.handshakeDone != nil && result.connectResult != nil)
        // nginx answers a digest C1 with a digest S1 and signed S2: our client verifies it.
        #expect(result.serverDigestVerified == true)
        #expect(logged, "nginx did not log the connect:\n\(nginx.process.output)")
        #expect(nginx.process.output.contains("flashver='\(LiveClientOptions.defaultFlashVer)'"))
        #expect(nginx.process.output.contains("tc_url='rtmp://127.0.0.1:\(port)/live'"))
    }

    /// ffmpeg publishes generated H.264 (a keyframe a second) into nginx's live application; our
    /// client connects and plays it, as `connect --play x` does, and reaches the first frame nginx
    /// relays (nginx starts a late player with the stream's decoder configuration, then its frames).
    // Runs whenever nginx and ffmpeg are installed; in CI it always runs and fails if one is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("nginx", "ffmpeg"), "nginx or ffmpeg is not installed"))
    func playsToTheFirstFrameFromNginxRTMP() async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let port = try LoopbackPorts.free()
        // Parsed before anything starts: nothing between the start and the stops may throw.
        let url = try ConnectURL(parsing: "rtmp://127.0.0.1:\(port)/live")
        let nginx = try await NginxRTMP.start(port: port)
        let publisher: TestProcess
        do {
            publisher = try TestProcess(ffmpeg, [
                "-nostdin", "-hide_banner", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "30",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", "-f", "flv", "rtmp://127.0.0.1:\(port)/live/x",
            ])
        } catch {
            await nginx.stop()
            throw error
        }
        let published = await nginx.process.waitForOutput(containing: "publish: name='x'", timeout: .seconds(15))
        var result: LiveConnectResult?
        if published {
            result = await LiveClient(options: .init(timeout: .seconds(20), play: "x")).connect(to: url)
        }
        let logged = await nginx.process.waitForOutput(containing: "play: name='x'", timeout: .seconds(5))
        await publisher.stop()
        await nginx.stop()

        try #require(published, "ffmpeg never published into nginx:\nffmpeg:\n\(publisher.output)\nnginx:\n\(nginx.process.output)")
        let played = try #require(result)
        #expect(played.achieved, "\(played.summary)\nffmpeg:\n\(publisher.output)\nnginx:\n\(nginx.process.output)")
        #expect(played.play == .firstFrame)
        let connect = try #require(played.connectResult, "\(played.summary)")
        let created = try #require(played.streamCreated, "\(played.summary)")
        let started = try #require(played.playStarted, "\(played.summary)")
        let frame = try #require(played.firstFrame, "\(played.summary)")
        #expect(connect <= created && created <= started && started <= frame, "\(played.summary)")
        #expect(played.summary.contains("; first frame of x in "), "\(played.summary)")
        #expect(logged, "nginx did not log the play:\n\(nginx.process.output)")
    }

    /// nginx keeps a play of a stream nobody publishes waiting (its `idle_streams on` default) rather
    /// than answering StreamNotFound: the play starts, no picture comes, and the caller's timeout
    /// ends it, as a failure of the play, not of the connect.
    @Test(.enabled(if: InteropEnvironment.canRun("nginx"), "nginx is not installed"))
    func aPlayNginxKeepsWaitingEndsAtTheTimeout() async throws {
        let port = try LoopbackPorts.free()
        let url = try ConnectURL(parsing: "rtmp://127.0.0.1:\(port)/live")
        let nginx = try await NginxRTMP.start(port: port)
        let result = await LiveClient(options: .init(timeout: .seconds(3), play: "nobody")).connect(to: url)
        await nginx.stop()

        #expect(result.succeeded, "\(result.summary)\nnginx:\n\(nginx.process.output)")
        #expect(result.play == .timeout, "\(result.summary)")
        #expect(result.streamCreated != nil && result.firstFrame == nil, "\(result.summary)")
        #expect(result.elapsed >= .seconds(3) && result.elapsed < .seconds(6), "\(result.summary)")
        #expect(result.summary.contains(": play nobody: timeout in "), "\(result.summary)")
    }

    // Runs whenever ffmpeg is installed; in CI it always runs and fails if ffmpeg is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"))
    func connectsToFFmpegListening() async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let port = try LoopbackPorts.free()
        let server = try TestProcess(ffmpeg, [
            "-nostdin", "-hide_banner", "-loglevel", "debug", "-listen", "1", "-rw_timeout", "10000000",
            "-i", "rtmp://127.0.0.1:\(port)/live/x", "-f", "null", "-",
        ])
        let listening = await LoopbackPorts.waitUntilListening(port, timeout: .seconds(10))
        let result: LiveConnectResult
        if listening {
            let url = try ConnectURL(parsing: "rtmp://127.0.0.1:\(port)/live")
            result = await LiveClient(options: .init(timeout: .seconds(20))).connect(to: url)
        } else {
            result = LiveConnectResult(url: "", outcome: .failed("ffmpeg never listened"), elapsed: .zero)
        }
        _ = await server.waitForOutput(containing: "Window acknowledgement size", timeout: .seconds(2))
        await server.stop()

        #expect(listening, "ffmpeg did not listen on \(port):\n\(server.output)")
        #expect(result.succeeded, "\(result.summary)\nffmpeg:\n\(server.output)")
        // ffmpeg's side: it read our connect and answered it (its server path logs the window size
        // it sets right before `_result`).
        #expect(server.output.contains("Window acknowledgement size = 2500000"), "\(server.output)")
    }
}
