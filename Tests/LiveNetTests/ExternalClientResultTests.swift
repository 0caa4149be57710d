import Connector
import Testing

@testable import LiveNet

/// An external client's observations as a `ConnectionTimeline`: the attempt the server answered
/// with Connect.Success wins, unanswered SYNs are attempts, a client never connected fails at its
/// process's end with the exit status in the last attempt's detail.
@Suite("ExternalClientResult")
struct ExternalClientResultTests {
    static func result(
        reason: ClientProcessResult.Reason, termination: ClientProcessResult.Termination, duration: Duration,
        timeToConnect: Duration? = nil, connections: [ExternalClientConnection] = [],
        unanswered: [ExternalClientUnansweredAttempt] = []
    ) -> ExternalClientResult {
        let started = ContinuousClock.now
        let process = ClientProcessResult(
            arguments: ["client", "rtmp://127.0.0.1:1/live"], executable: "/usr/bin/client", started: started,
            ended: started + duration, reaped: started + duration, reason: reason, termination: termination, neededKill: false,
            standardOutput: OutputTail(limit: 16), standardError: OutputTail(limit: 16))
        return ExternalClientResult(
            name: "external:client", scenarioURL: "rtmp://media.example.com/live", clientURL: "rtmp://127.0.0.1:1/live",
            port: 1935, process: process, timeToConnect: timeToConnect, connections: connections, unanswered: unanswered)
    }

    @Test func anAbandonedSYNAndAnExitFailAtTheExit() throws {
        let result = Self.result(
            reason: .exited, termination: .exited(code: 1), duration: .milliseconds(5_430),
            unanswered: [ExternalClientUnansweredAttempt(
                port: 1935, localPort: 40_000, firstSeen: .milliseconds(300), lastSeen: .milliseconds(5_390), abandoned: true)])
        let timeline = result.timeline
        #expect(timeline.outcome == .failed)
        #expect(timeline.finishedAt == .milliseconds(5_430))
        #expect(timeline.failure == .exhausted(attempts: 1, lastFailure: .osTimeout))
        let attempt = try #require(timeline.attempts.first)
        #expect(attempt.candidate.label == "rtmp:1935")
        #expect(attempt.start == .milliseconds(300))
        #expect(attempt.ending == .timeout)
        #expect(attempt.end == .milliseconds(5_390))
        #expect(attempt.detail == "the client abandoned the unanswered connect; client exit status 1 after 5.430 s, never connected")
        #expect(result.summary == "exit status 1 after 5.430 s, never connected")
    }

    @Test func aTimeoutIsTheOverallTimeout() {
        let result = Self.result(
            reason: .timedOut, termination: .signalled(15), duration: .seconds(5),
            unanswered: [ExternalClientUnansweredAttempt(
                port: 1935, localPort: 40_001, firstSeen: .milliseconds(40), lastSeen: .milliseconds(4_990), abandoned: false)])
        let timeline = result.timeline
        #expect(timeline.failure == .overallTimeout(.seconds(5)))
        #expect(timeline.attempts.map(\.ending) == [.cancelled])
        #expect(timeline.attempts.map(\.end) == [.seconds(5)])
        #expect(result.summary == "timed out after 5.000 s")
    }

    @Test func theAcceptedConnectionWinsAndEarlierOnesStayLosers() throws {
        var rejected = ExternalClientConnection(port: 1935, accepted: .milliseconds(10))
        rejected.via = .rtmp
        rejected.handshakeDone = .milliseconds(20)
        rejected.answered = .milliseconds(30)
        rejected.answer = "rejected"
        var tunnel = ExternalClientConnection(port: 1935, accepted: .milliseconds(40))
        tunnel.via = .rtmpt
        tunnel.handshakeDone = .milliseconds(60)
        tunnel.answered = .milliseconds(70)
        tunnel.answer = "accepted"
        let result = Self.result(
            reason: .stopped, termination: .signalled(15), duration: .milliseconds(80), timeToConnect: .milliseconds(70),
            connections: [rejected, tunnel])
        let timeline = result.timeline
        #expect(timeline.outcome == .connected)
        #expect(timeline.timeToConnect == .milliseconds(70))
        #expect(timeline.attempts.map(\.candidate.label) == ["rtmp:1935", "rtmpt:1935"])
        #expect(timeline.attempts.map(\.ending) == [.rejected, .won])
        #expect(timeline.winningAttempt?.phases[.handshakeDone] == .milliseconds(60))
        #expect(timeline.serverCost == ServerCost(connectionsAccepted: 2, handshakesCompleted: 2, wastedConnections: 1))
        #expect(result.summary == "connected after 70.0 ms")
    }

    @Test func durationsReadLikeTheConsole() {
        #expect(ExternalClientResult.text(.microseconds(274_436)) == "274.4 ms")
        #expect(ExternalClientResult.text(.microseconds(999_940)) == "999.9 ms")
        #expect(ExternalClientResult.text(.seconds(1)) == "1.000 s")
        #expect(ExternalClientResult.text(.microseconds(5_429_737)) == "5.430 s")
        #expect(ExternalClientResult.text(.microseconds(12_004_499)) == "12.004 s")
    }
}
