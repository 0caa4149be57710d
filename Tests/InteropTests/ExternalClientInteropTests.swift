import Connector
import LiveNet
import Testing
import RunCore

/// rtmpdump and ffmpeg as external clients of a scenario on the loopback network: where 1935 is
/// dropped they only ever try 1935 (the URL's port) and fail at the run's timeout or their own limit;
/// on an open network they connect, measured from their spawn to our `NetConnection.Connect.Success`.
@Suite("Interop: external clients on loopback", .serialized, .timeLimit(.minutes(5)))
struct ExternalClientInteropTests {
    static let url = "rtmp://media.example.com/live/stream"
    static let dropped = [FirewallRule(ports: [1935], action: .drop)]
    /// rtmpdump's `-m` bounds reads, not its blocking connect: under a drop only our timeout ends it.
    static let rtmpdump = "rtmpdump -r {url} -v -m 3 -o /dev/null"
    /// ffmpeg's `-rw_timeout` (µs) bounds reads once connected; its TCP connect has its own limit of
    /// 5 s (ffmpeg 5.1's default, not settable through an rtmp URL).
    static let ffmpeg = "ffmpeg -hide_banner -nostdin -loglevel info -rw_timeout 3000000 -i {url} -t 1 -f null -"

    static func run(_ command: String, firewall: [FirewallRule], timeout: Duration) async throws -> ExternalClientResult {
        let scenario = LiveScenario(urls: [try ConnectURL(parsing: url)], firewall: firewall)
        return try await ExternalClientRun(scenario: scenario, command: try ClientCommand(parsing: command), timeout: timeout).run()
    }

    /// Every attempt the network saw was at 1935: accepted ones and unanswered SYNs alike.
    static func onlyTried1935(_ result: ExternalClientResult) -> Bool {
        result.connections.allSatisfy { $0.port == 1935 } && result.unanswered.allSatisfy { $0.port == 1935 }
    }

    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump"), "rtmpdump is not installed"))
    func rtmpdumpUnder1935DroppedOnlyTries1935AndTimesOut() async throws {
        _ = try InteropEnvironment.require("rtmpdump")
        let result = try await Self.run(Self.rtmpdump, firewall: Self.dropped, timeout: .seconds(3))
        #expect(result.timeToConnect == nil, "\(result.summary)")
        #expect(result.process.reason == .timedOut)
        #expect(result.process.duration == .seconds(3))
        #expect(result.connections.isEmpty, "\(result.attemptSummary)")
        #expect(result.unanswered.count == 1, "\(result.attemptSummary)")
        #expect(Self.onlyTried1935(result))
        #expect(result.unanswered.first?.abandoned == false, "its connect still waited when it was stopped")
        let timeline = result.timeline
        #expect(timeline.outcome == .failed)
        #expect(timeline.finishedAt == .seconds(3))
        #expect(timeline.attempts.map(\.candidate.label) == ["rtmp:1935"])
        #expect(result.clientURL.hasPrefix("rtmp://127.0.0.1:"))
        #expect(result.clientURL.hasSuffix("/live/stream"))
    }

    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump"), "rtmpdump is not installed"))
    func rtmpdumpOnAnOpenNetworkConnects() async throws {
        _ = try InteropEnvironment.require("rtmpdump")
        let timeout = Duration.seconds(10)
        let result = try await Self.run(Self.rtmpdump, firewall: [], timeout: timeout)
        let time = try #require(result.timeToConnect, "\(result.summary)\n\(result.process.standardError.text)")
        #expect(time > .zero)
        #expect(time < timeout)
        // Connected, then ended either way: stopped by the run once the connect was measured, or by
        // itself a moment later, when the server's NetStream.Play.StreamNotFound closes its session
        // (no media is served). Both come after the connect; what is never right is its own timeout.
        #expect([.stopped, .exited].contains(result.process.reason), "\(result.process.reason)")
        #expect(result.connections.count == 1, "\(result.attemptSummary)")
        let connection = try #require(result.connections.first)
        #expect(connection.port == 1935)
        #expect(connection.via == .rtmp)
        #expect(connection.answer == "accepted")
        #expect(connection.answered.map { $0 == time } == true)
        let handshake = try #require(connection.handshakeDone)
        #expect(connection.accepted <= handshake && handshake <= time)
        let timeline = result.timeline
        #expect(timeline.outcome == .connected)
        #expect(timeline.timeToConnect == time)
        #expect(timeline.winningAttempt?.candidate.label == "rtmp:1935")
    }

    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"))
    func ffmpegUnder1935DroppedOnlyTries1935AndGivesUp() async throws {
        _ = try InteropEnvironment.require("ffmpeg")
        // ffmpeg's limit counts 50 polls of 100 ms rather than reading a clock, so on a loaded machine
        // it runs long (seen: past 10 s while a build ran beside the suite); 20 s still tells its own
        // give-up from our kill.
        let result = try await Self.run(Self.ffmpeg, firewall: Self.dropped, timeout: .seconds(20))
        #expect(result.timeToConnect == nil, "\(result.summary)")
        #expect(result.connections.isEmpty, "\(result.attemptSummary)")
        #expect(result.unanswered.count == 1, "\(result.attemptSummary)")
        #expect(Self.onlyTried1935(result))
        // Its own 5 s connect limit ends it: it exits with an error before our 20 s.
        #expect(result.process.reason == .exited, "\(result.summary)")
        #expect(result.process.termination == .exited(code: 1))
        #expect(result.process.duration >= .seconds(5))
        #expect(result.process.duration < .seconds(20))
        #expect(result.process.standardError.text.contains("Connection timed out"), "\(result.process.standardError.text)")
        #expect(result.timeline.outcome == .failed)
        #expect(result.timeline.attempts.map(\.candidate.label) == ["rtmp:1935"])
    }

    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg"), "ffmpeg is not installed"))
    func ffmpegOnAnOpenNetworkConnects() async throws {
        _ = try InteropEnvironment.require("ffmpeg")
        let timeout = Duration.seconds(10)
        let result = try await Self.run(Self.ffmpeg, firewall: [], timeout: timeout)
        let time = try #require(result.timeToConnect, "\(result.summary)\n\(result.process.standardError.text)")
        #expect(time > .zero)
        #expect(time < timeout)
        #expect(result.connections.first?.port == 1935)
        #expect(result.connections.first?.answer == "accepted")
        #expect(Self.onlyTried1935(result))
        #expect(result.timeline.winningAttempt?.candidate.label == "rtmp:1935")
    }
}
