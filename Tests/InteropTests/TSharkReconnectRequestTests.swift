import Connector
import Foundation
import LiveNet
import Testing
import RTMP
import RunCore
import TestSupport

/// Enhanced RTMP v2's reconnect request in a live run's own capture (libpcap, `LiveRun`'s
/// `capturePath`), dissected by tshark: the server's `onStatus('NetConnection.Connect.ReconnectRequest')`
/// with its tcUrl, and the `capsEx` 1 a player that follows requests sends in `connect`.
@Suite("tshark: reconnect request", .serialized, .timeLimit(.minutes(5)))
struct TSharkReconnectRequestTests {
    @Test(.enabled(if: InteropEnvironment.canCapture, "tshark is missing or cannot capture on loopback (needs root)"))
    func dissectsTheRequestAndTheCapability() async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let folder = try TemporaryFolder()
        let capture = folder.path("reconnect.pcap")
        var policy = Policy(name: "capable", mode: .sequential, candidates: [.url, .transport(.rtmp, 443)])
        policy.followsReconnectRequest = true
        var scenario = LiveScenario(
            urls: [try ConnectURL(parsing: "rtmp://media.example.com/live")],
            serverSession: .init(
                playableStreams: nil, media: .synthetic(SyntheticVideo()),
                reconnectRequest: .init(after: .milliseconds(300), tcUrl: "rtmp://media.example.com:443/live",
                                        closeAfter: .seconds(1))),
            latency: .milliseconds(5))
        scenario.play = "x"
        let result = try await LiveRun(scenario: scenario, policy: policy, seed: 3, bound: .seconds(20), capturePath: capture).run()
        #expect(result.timeline.reconnectWinner?.candidate.label == "rtmp:443", "\(result.timeline)")
        if case .failure(let error) = result.capture { Issue.record("no capture: \(error)") }

        let reader = try TestProcess(tshark, [
            "-r", capture, "-d", "tcp.port==1-65535,rtmpt", "-Y", "rtmpt", "-V",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        let text = reader.output
        #expect(text.contains("onStatus('NetConnection.Connect.ReconnectRequest')"), "\(text.suffix(3000))")
        #expect(text.contains("String: rtmp://media.example.com:443/live"), "the request's tcUrl")
        #expect(text.contains("Property 'capsEx' Number 1"), "the capability in connect")
    }
}
