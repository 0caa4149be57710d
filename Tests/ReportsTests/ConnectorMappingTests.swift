import Connector
import Testing
@testable import Reports

/// The report model takes the connector's timeline as the runtimes record it.
@Suite("Mapping the connector's timeline")
struct ConnectorMappingTests {
    static func candidate(_ scheme: RTMPScheme, _ port: Int) -> Candidate {
        Candidate(scheme: scheme, host: "media.example.com", port: port, path: "live")
    }

    @Test func attemptRecordsKeepPhasesEndingsAndCancelReasons() {
        var timeout = AttemptRecord(id: AttemptID(1), candidate: Self.candidate(.rtmp, 1935), start: .zero)
        timeout.ending = .timeout
        timeout.timeoutOwner = .policy
        timeout.cancelReason = .policyTimeout
        timeout.end = .seconds(3)
        let report = AttemptReport(timeout, synRetransmissions: [.seconds(1)])
        #expect(report.id == 1)
        #expect(report.candidate == "rtmp:1935")
        #expect(report.endingToken == "timeout")
        #expect(report.endingDetail == "policy")
        #expect(report.endingPhrase == "timeout (policy)")
        #expect(report.synRetransmissions == [.seconds(1)])
        // Given every SYN, the first (the attempt's own start) is not a retransmission.
        #expect(AttemptReport(timeout, synTimes: [.zero, .seconds(1), .seconds(2)]).synRetransmissions
            == [.seconds(1), .seconds(2)])

        var loser = AttemptRecord(id: AttemptID(2), candidate: Self.candidate(.rtmpt, 80), start: .milliseconds(250))
        loser.phases[.tcpConnected] = .milliseconds(330)
        loser.ending = .cancelled
        loser.cancelReason = .loser
        loser.end = .milliseconds(740)
        let loserReport = AttemptReport(loser)
        #expect(loserReport.endingPhrase == "cancelled (loser)")
        #expect(loserReport.time(of: .tcpConnected) == .milliseconds(330))

        var rejected = AttemptRecord(id: AttemptID(3), candidate: Self.candidate(.rtmps, 443), start: .zero)
        rejected.ending = .rejected
        rejected.detail = "bad app"
        rejected.end = .milliseconds(90)
        #expect(AttemptReport(rejected).endingPhrase == "rejected (bad app)")

        let inFlight = AttemptReport(AttemptRecord(id: AttemptID(4), candidate: Self.candidate(.rtmp, 443), start: .zero))
        #expect(inFlight.endingToken == "in-flight")
        #expect(inFlight.endedAt == nil)
    }

    @Test func timelinesGiveTheRunResult() {
        var timeline = ConnectionTimeline()
        #expect(RunResult(timeline) == nil)
        var winner = AttemptRecord(id: AttemptID(2), candidate: Self.candidate(.rtmpt, 80), start: .milliseconds(250))
        winner.ending = .won
        winner.end = .milliseconds(740)
        timeline.attempts = [winner]
        timeline.winner = AttemptID(2)
        timeline.outcome = .connected
        timeline.finishedAt = .milliseconds(740)
        guard case .connected(let label, let after) = RunResult(timeline) else {
            Issue.record("a connected timeline must map to .connected")
            return
        }
        #expect(label == "rtmpt:80")
        #expect(after == .milliseconds(740))

        var failed = ConnectionTimeline()
        failed.outcome = .failed
        failed.finishedAt = .seconds(60)
        failed.failure = .overallTimeout(.seconds(60))
        guard case .failed(let reason, let when) = RunResult(failed) else {
            Issue.record("a failed timeline must map to .failed")
            return
        }
        #expect(reason == ConnectFailure.overallTimeout(.seconds(60)).description)
        #expect(when == .seconds(60))
    }

    /// An attempt still in flight when the run finished shows as such in the CSV and is drawn to
    /// the run's end in the waterfall.
    @Test func inFlightAttemptsAreReportedAsSuch() {
        let run = RunReport(
            policy: "flowplayer", seed: 1, result: .connected(winner: "rtmp:1935", after: .milliseconds(100)),
            attempts: [
                AttemptReport(id: 1, candidate: "rtmp:1935", startedAt: .zero, ending: .won, endedAt: .milliseconds(100)),
                AttemptReport(id: 2, candidate: "rtmpt:80", startedAt: .milliseconds(50), ending: nil, endedAt: nil),
            ],
            cost: ServerCost(connectionsAccepted: 2, handshakesCompleted: 1, wastedConnections: 1))
        let input = ReportInput(scenarios: [ScenarioReport(name: "s", runs: [run])])
        let csv = input.attemptsCSV()
        #expect(csv.hasSuffix("s,flowplayer,1,1,2,rtmpt:80,50.000,0,,,,,,in-flight,,,1,,,,,\r\n"))
        let html = input.htmlPage(linksPcaps: false)
        #expect(html.contains("<g class=\"attempt end-in-flight\">"))
        #expect(html.contains(">in-flight</text>"))
    }
}

extension RunResult: Equatable {
    public static func == (lhs: RunResult, rhs: RunResult) -> Bool {
        switch (lhs, rhs) {
        case let (.connected(a, b), .connected(c, d)): a == c && b == d
        case let (.failed(a, b), .failed(c, d)): a == c && b == d
        case (.connected, .failed), (.failed, .connected): false
        }
    }
}
