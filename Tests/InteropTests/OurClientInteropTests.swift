import Connector
import Foundation
import LiveNet
import Testing
import TestSupport

/// Our client against real servers: nginx with the rtmp module, and ffmpeg listening.
@Suite("Interop: our client → real servers", .timeLimit(.minutes(3)))
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
