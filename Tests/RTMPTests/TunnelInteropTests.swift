import Foundation
import Testing
@testable import RTMP
import TestSupport

/// Real RTMPT clients through our server tunnel and handshake: rtmpdump (librtmp) and ffmpeg
/// (rtmphttp). Both must get through `/open`, the handshake and send their `connect` inside the
/// tunnel; nothing answers the `connect` here (full sessions are the LiveNet interop tests).
@Suite(.serialized, .timeLimit(.minutes(5)))
struct TunnelInteropTests {
    static let rtmpdump = PeerTool(name: "rtmpdump")

    static func connectArrived(_ sessions: [String: TunnelServerHarness.SessionLog]) -> Bool {
        sessions.values.contains { $0.afterHandshake.contains(bytes: Array("connect".utf8)) }
    }

    @Test(.enabled(if: rtmpdump.shouldRun, "rtmpdump is not installed: librtmp's RTMPT requests are not verified"))
    func rtmpdumpOpensTheTunnelHandshakesAndSendsConnect() throws {
        let executable = try #require(Self.rtmpdump.path, Comment(rawValue: Self.rtmpdump.missingMessage))
        let harness = try TunnelServerHarness()
        let process = try TestProcess(
            executable, ["-r", "rtmpt://127.0.0.1:\(harness.port)/live/x", "-v", "-m", "5", "-o", "/dev/null"])
        try harness.serve(seconds: 15, until: Self.connectArrived)
        process.terminate()
        let log = process.output
        let sessions = harness.sessions
        #expect(sessions.count == 1, "one tunnel session; rtmpdump said:\n\(log)")
        let session = try #require(sessions.values.first)
        #expect(session.handshakeCompleted)
        #expect(session.clientUsedDigest == false, "librtmp sends a plain C1 for rtmpt")
        #expect(session.afterHandshake.contains(bytes: Array("connect".utf8)), "rtmpdump said:\n\(log)")
        #expect(session.afterHandshake.contains(bytes: Array("rtmpt://127.0.0.1:\(harness.port)/live".utf8)))
        let requests = try harness.requests()
        let id = try #require(sessions.keys.first)
        #expect(requests.first?.target == "/open/1")
        #expect(requests.first?.body == [0])
        #expect(requests.dropFirst().first?.target == "/send/\(id)/0")
        let headerNames = requests.first?.headers.map(\.name) ?? []
        #expect(headerNames == ["Host", "Accept", "User-Agent", "Connection", "Cache-Control", "Content-type", "Content-length"])
        // Sequence numbers run 0, 1, 2, … over send/idle/close.
        let sequences = requests.dropFirst().compactMap { Int($0.target.split(separator: "/").last ?? "") }
        #expect(sequences == Array(0..<sequences.count))
    }

    @Test(.enabled(if: PeerTool.ffmpeg.shouldRun, "ffmpeg is not installed: ffmpeg's RTMPT path is not verified"))
    func ffmpegOverRTMPTValidatesOurDigestHandshakeAndSendsConnect() throws {
        let executable = try #require(PeerTool.ffmpeg.path, Comment(rawValue: PeerTool.ffmpeg.missingMessage))
        let harness = try TunnelServerHarness()
        let process = try TestProcess(
            executable, [
                "-hide_banner", "-nostdin", "-loglevel", "debug", "-rw_timeout", "8000000",
                "-i", "rtmpt://127.0.0.1:\(harness.port)/live/x", "-t", "1", "-f", "null", "-",
            ])
        try harness.serve(seconds: 15, until: Self.connectArrived)
        process.terminate()
        let log = process.output
        let session = try #require(harness.sessions.values.first, "no tunnel session; ffmpeg said:\n\(log)")
        #expect(session.handshakeCompleted, "ffmpeg said:\n\(log)")
        #expect(session.clientUsedDigest, "ffmpeg always sends a digest C1")
        #expect(session.afterHandshake.contains(bytes: Array("connect".utf8)), "ffmpeg said:\n\(log)")
        #expect(!log.contains("validating failed"), "\(log)")
        let requests = try harness.requests()
        #expect(requests.first?.target == "/open/1")
    }
}
