import Connector
import Testing
@testable import Lab

@Suite struct ExpectationCheckTests {
    let flowplayer = Expectation(policy: .named("flowplayer"), outcome: .connected, within: .seconds(1), via: Transport(.rtmpt, 80))

    /// `within` is inclusive: exactly at the limit passes, one microsecond later fails.
    @Test func withinAtTheLimitAndJustAfter() {
        let atLimit = flowplayer.check(.init(outcome: .connected, after: .seconds(1), winner: Transport(.rtmpt, 80)))
        #expect(atLimit.passed)
        #expect(atLimit.expected == "connected via rtmpt:80 within 1 s")
        #expect(atLimit.measured == "connected via rtmpt:80 after 1 s")
        let late = flowplayer.check(.init(outcome: .connected, after: .seconds(1) + .microseconds(1), winner: Transport(.rtmpt, 80)))
        #expect(!late.passed)
    }

    @Test func wrongWinnerOrOutcomeFails() {
        let other = flowplayer.check(.init(outcome: .connected, after: .milliseconds(120), winner: Transport(.rtmp, 1935)))
        #expect(!other.passed)
        #expect(other.measured == "connected via rtmp:1935 after 120 ms")
        let failed = flowplayer.check(.init(outcome: .failed, after: .seconds(21), winner: nil))
        #expect(!failed.passed)
        #expect(failed.measured == "failed after 21 s")
    }

    /// The server-cost claim at its limit and one connection over.
    @Test func serverConnectionsAtTheLimitAndOneOver() {
        let claim = Expectation(policy: .every, outcome: .connected, maxServerConnections: 4)
        let atLimit = claim.check(.init(outcome: .connected, after: .seconds(2), winner: Transport(.rtmp, 1935), serverConnections: 4))
        #expect(atLimit.passed)
        #expect(atLimit.expected == "connected with at most 4 server connections")
        #expect(atLimit.measured == "connected via rtmp:1935 after 2 s with 4 server connections")
        #expect(!claim.check(.init(outcome: .connected, after: .seconds(2), winner: Transport(.rtmp, 1935), serverConnections: 5)).passed)
    }

    @Test func timeToFail() {
        let claim = Expectation(policy: .every, outcome: .failed, within: .seconds(85))
        #expect(claim.check(.init(outcome: .failed, after: .milliseconds(84_040), winner: nil)).passed)
        #expect(!claim.check(.init(outcome: .failed, after: .milliseconds(85_001), winner: nil)).passed)
        #expect(!claim.check(.init(outcome: .connected, after: .seconds(1), winner: Transport(.rtmp, 1935))).passed)
    }
}

@Suite struct DurationTextTests {
    @Test func readable() {
        #expect(DurationText.describe(.milliseconds(250)) == "250 ms")
        #expect(DurationText.describe(.microseconds(12_345)) == "12.3 ms")
        #expect(DurationText.describe(.seconds(21)) == "21 s")
        #expect(DurationText.describe(.milliseconds(21_040)) == "21.04 s")
        #expect(DurationText.describe(.zero) == "0 ms")
    }

    @Test func csvMilliseconds() {
        #expect(DurationText.milliseconds(.microseconds(21_042_125)) == "21042.125")
        #expect(DurationText.milliseconds(.milliseconds(5)) == "5.000")
        #expect(DurationText.milliseconds(.zero) == "0.000")
    }
}

/// One expectation check for every kind of run (issue 12): the server's accepted connections count
/// wherever a run measured them, live runs included.
@Suite struct RunRecordVerdictTests {
    static func record(policy: String, connections: Int) -> RunRecord {
        var timeline = ConnectionTimeline()
        timeline.outcome = .connected
        timeline.finishedAt = .milliseconds(125)
        timeline.serverCost = ServerCost(connectionsAccepted: connections)
        var record = RunRecord(
            scenarioName: "s", policy: policy, repetition: 1, seed: 1,
            measurement: .success(RunRecord.Measured(timeline: timeline, synTimes: [:], oracle: nil, packets: [])),
            verdicts: [], index: 0, scenarioIndex: 0)
        record.network = .loopback
        return record
    }

    /// A scenario that claims every policy connects with at most one server connection.
    static func scenario() throws -> Scenario {
        let text = """
            client:
              url: rtmp://media.example.com/live
            expect:
              - policy: "*"
                outcome: connected
                max-server-connections: 1
            """
        return try ScenarioLoader.parse(Array(text.utf8), file: "s.yaml")
    }

    @Test func aLiveRunsAcceptedConnectionsAreChecked() throws {
        let scenario = try Self.scenario()
        var two = Self.record(policy: "happy-eyeballs", connections: 2)
        two.checkExpectations(of: scenario)
        #expect(two.verdicts.map(\.passed) == [false])
        var one = Self.record(policy: "happy-eyeballs", connections: 1)
        one.checkExpectations(of: scenario)
        #expect(one.verdicts.map(\.passed) == [true])
    }
}
