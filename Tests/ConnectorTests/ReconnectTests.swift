import Testing
@testable import Connector

/// `FallbackConnector.reconnect(to:)`: after a connect, a second race to other URLs under the same
/// policy (Enhanced RTMP's reconnect request, or a new connect after the stream was lost).
@Suite struct ReconnectTests {
    static let policy: Policy = {
        var policy = Policy(
            name: "capable", mode: .staggered, candidates: [.url, .transport(.rtmp, 443), .transport(.rtmpt, 80)],
            stagger: .milliseconds(500))
        policy.followsReconnectRequest = true
        return policy
    }()

    @Test func aReconnectRacesAgainWithTheAttemptNumbersGoingOn() throws {
        var driver = try VirtualDriver(Self.policy, url: "rtmp://media.example.com/live")
        _ = driver.start()
        #expect(driver.succeed(1).winner == 1)
        let again = try driver.reconnect(to: "rtmp://media.example.com:1935/live")
        #expect(again.started == ["rtmp:1935"])
        #expect(again.startedIDs == [2], "numbering goes on from the first race")
        #expect(!driver.connector.isFinished, "racing again")
        // The stagger runs again: 443 after 500 ms.
        #expect(driver.advance(by: .milliseconds(500)).flatMap(\.started) == ["rtmp:443"])
        let won = driver.succeed(3)
        guard case .reconnected(let winner, let via, let cleanup) = won else {
            Issue.record("not reconnected: \(won)")
            return
        }
        #expect(winner == AttemptID(3))
        #expect(via.label == "rtmp:443")
        #expect(cleanup.cancelAttempts.map(\.id) == [AttemptID(2)], "the new race's loser is closed")
        #expect(driver.connector.isFinished)
        // The first connect's record stands.
        #expect(driver.timeline.winner == AttemptID(1))
        #expect(driver.timeline.reconnectWinner?.id == AttemptID(3))
    }

    @Test func aReconnectThatGivesUpLeavesTheFirstResult() throws {
        var policy = Self.policy
        policy.mode = .sequential
        var driver = try VirtualDriver(policy, url: "rtmp://media.example.com/live")
        _ = driver.start()
        _ = driver.succeed(1)
        _ = try driver.reconnect(to: "rtmp://media.example.com:1935/live")
        _ = driver.fail(2, .refused)
        _ = driver.fail(3, .refused)
        let last = driver.fail(4, .refused)
        guard case .reconnectFailed(.exhausted(attempts: 4, _), _) = last else {
            Issue.record("not failed: \(last)")
            return
        }
        #expect(driver.timeline.outcome == .connected)
        #expect(driver.timeline.reconnectFailure != nil)
        #expect(driver.connector.isFinished)
    }

    @Test func aLateSuccessOfTheFirstRacesLoserIsStillClosed() throws {
        var policy = Self.policy
        policy.mode = .parallel
        var driver = try VirtualDriver(policy, url: "rtmp://media.example.com/live")
        _ = driver.start()
        _ = driver.succeed(1)
        _ = try driver.reconnect(to: "rtmp://media.example.com:443/live")
        // Attempt 2 was cancelled as a loser of the first race; its success crossed the cancel.
        #expect(driver.connector.attemptSucceeded(AttemptID(2)) == .closeLateSuccess(AttemptID(2)))
    }

    @Test func reconnectingBeforeAConnectTraps() async {
        await #expect(processExitsWith: .failure) {
            var connector = try! FallbackConnector(policy: Self.policy, url: "rtmp://media.example.com/live")
            _ = connector.start()
            _ = connector.reconnect(to: [try! ConnectURL(parsing: "rtmp://h/live")])
        }
    }

    @Test(arguments: [
        (nil, "rtmp://media.example.com:1935/live"),
        ("rtmp://edge.example.com:443/live", "rtmp://edge.example.com:443/live"),
        ("//edge.example.com/other", "rtmp://edge.example.com/other"),
        ("/other", "rtmp://media.example.com:1935/other"),
    ] as [(String?, String)])
    func reconnectURLsResolveAsTheSpecificationsExamples(reference: String?, expected: String) throws {
        let base = try ConnectURL(parsing: "rtmp://media.example.com:1935/live")
        #expect(try ConnectURL(resolving: reference, against: base).description == expected)
    }

    @Test func aCapablePolicySaysSo() {
        #expect(Self.policy.description.contains("follows reconnect requests"))
        #expect(Preset.all.allSatisfy { !$0.policy.followsReconnectRequest }, "every preset predates Enhanced RTMP v2")
    }
}
