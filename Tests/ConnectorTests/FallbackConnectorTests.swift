import Testing
@testable import Connector

/// The state machine as transcripts: every delay at N−1 and N milliseconds.
@Suite struct FallbackConnectorTests {
    typealias Action = FallbackConnector.Action
    typealias Steps = FallbackConnector.Steps

    let url = "rtmp://media.example.com/live"

    private func candidate(_ scheme: RTMPScheme, _ port: Int) -> Candidate {
        Candidate(scheme: scheme, host: "media.example.com", port: port, path: "live")
    }

    private func table(_ mode: Policy.Mode, stagger: Duration = .zero) -> Policy {
        Policy(
            name: "table", mode: mode,
            candidates: [.url, .transport(.rtmp, 443), .transport(.rtmpt, 80)],
            stagger: stagger
        )
    }

    // MARK: sequential

    @Test func sequentialStartsOneAndAdvancesOnFailureAtOnce() throws {
        var driver = try VirtualDriver(table(.sequential), url: url)
        #expect(
            driver.start()
                == .proceed(Steps(startAttempts: [.init(id: AttemptID(1), candidate: candidate(.rtmp, 1935), candidateIndex: 0)])))
        #expect(driver.advance(ms: 60_000).isEmpty)
        #expect(
            driver.fail(1, .refused)
                == .proceed(Steps(startAttempts: [.init(id: AttemptID(2), candidate: candidate(.rtmp, 443), candidateIndex: 1)])))
        #expect(driver.fail(2, .unreachable).started == ["rtmpt:80"])
        let success = driver.succeed(3)
        #expect(success == .connected(winner: AttemptID(3), via: candidate(.rtmpt, 80), cleanup: Steps()))
        #expect(driver.timeline.outcome == .connected)
        #expect(driver.timeline.timeToConnect == .milliseconds(60_000))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["refused", "unreachable", "won"])
    }

    @Test func sequentialAttemptTimeoutAtNMinus1AndN() throws {
        var policy = table(.sequential)
        policy.attemptTimeout = .milliseconds(3000)
        var driver = try VirtualDriver(policy, url: url)
        #expect(
            driver.start()
                == .proceed(
                    Steps(
                        startAttempts: [.init(id: AttemptID(1), candidate: candidate(.rtmp, 1935), candidateIndex: 0)],
                        scheduleTimers: [.init(.attemptTimeout(AttemptID(1)), after: .milliseconds(3000))]
                    )))
        #expect(driver.advance(ms: 2999).isEmpty)
        #expect(
            driver.advance(ms: 1) == [
                .proceed(
                    Steps(
                        cancelAttempts: [.init(AttemptID(1), .policyTimeout)],
                        startAttempts: [.init(id: AttemptID(2), candidate: candidate(.rtmp, 443), candidateIndex: 1)],
                        scheduleTimers: [.init(.attemptTimeout(AttemptID(2)), after: .milliseconds(3000))]
                    ))
            ])
        // A failure cancels the pending timeout of that attempt.
        let afterFailure = driver.fail(2, .refused)
        #expect(afterFailure.steps?.cancelTimers == [.attemptTimeout(AttemptID(2))])
        #expect(afterFailure.started == ["rtmpt:80"])
        #expect(driver.advance(ms: 2999).isEmpty)
        let last = driver.advance(ms: 1)
        #expect(last.map(\.failure) == [.exhausted(attempts: 3, lastFailure: nil)])
        #expect(last.cancelled == [Cancel(3, .policyTimeout)])
        #expect(driver.timeline.timeToFail == .milliseconds(6000))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["timeout(policy)", "refused", "timeout(policy)"])
        #expect(driver.armed.isEmpty)
    }

    @Test func exhaustedReportsTheLastFailureAndTheTries() throws {
        var driver = try VirtualDriver(table(.sequential), url: url)
        _ = driver.start()
        _ = driver.fail(1, .refused)
        _ = driver.fail(2, .refused)
        let end = driver.fail(3, .osTimeout)
        #expect(end == .failed(.exhausted(attempts: 3, lastFailure: .osTimeout), cleanup: Steps()))
        #expect(end.failure?.description == "Failed to connect after 3 tries (last: timed out (OS connect timeout))")
        #expect(driver.connector.isFinished)
        #expect(driver.timeline.attempts.last?.endingLabel == "timeout(os)")
    }

    // MARK: staggered

    @Test func staggeredStartsTheNextAtNNotNMinus1() throws {
        var driver = try VirtualDriver(table(.staggered, stagger: .milliseconds(500)), url: url)
        #expect(
            driver.start()
                == .proceed(
                    Steps(
                        startAttempts: [.init(id: AttemptID(1), candidate: candidate(.rtmp, 1935), candidateIndex: 0)],
                        scheduleTimers: [.init(.stagger(generation: 1), after: .milliseconds(500))]
                    )))
        #expect(driver.advance(ms: 499).isEmpty)
        #expect(
            driver.advance(ms: 1) == [
                .proceed(
                    Steps(
                        startAttempts: [.init(id: AttemptID(2), candidate: candidate(.rtmp, 443), candidateIndex: 1)],
                        scheduleTimers: [.init(.stagger(generation: 2), after: .milliseconds(500))]
                    ))
            ])
        #expect(driver.advance(ms: 499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        // The last start arms no further stagger.
        #expect(driver.armed.isEmpty)
        #expect(driver.open == [AttemptID(1), AttemptID(2), AttemptID(3)])
    }

    @Test func staggeredWithoutAdvanceWaitsForTheStaggerAfterAFailure() throws {
        var driver = try VirtualDriver(table(.staggered, stagger: .milliseconds(500)), url: url)
        _ = driver.start()
        _ = driver.advance(ms: 10)
        #expect(driver.fail(1, .refused) == .wait)
        #expect(driver.advance(ms: 489).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmp:443"])
    }

    @Test func staggeredAdvanceOnFailureStartsAtOnceAndRestartsTheStagger() throws {
        var policy = table(.staggered, stagger: .milliseconds(500))
        policy.advanceOnFailure = true
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 100)
        #expect(
            driver.fail(1, .refused)
                == .proceed(
                    Steps(
                        cancelTimers: [.stagger(generation: 1)],
                        startAttempts: [.init(id: AttemptID(2), candidate: candidate(.rtmp, 443), candidateIndex: 1)],
                        scheduleTimers: [.init(.stagger(generation: 2), after: .milliseconds(500))]
                    )))
        #expect(driver.advance(ms: 499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
    }

    @Test func advanceOnFailureWaitsWhileAnotherAttemptIsPending() throws {
        var policy = table(.staggered, stagger: .milliseconds(500))
        policy.advanceOnFailure = true
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        #expect(driver.advance(ms: 500).started == ["rtmp:443"])
        // #1 still pending: a failure of #2 does not start #3 early (SwiftNIO's connectFailed()).
        #expect(driver.fail(2, .refused) == .wait)
        #expect(driver.advance(ms: 499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
    }

    @Test func staleStaggerTimerIsIgnored() throws {
        var policy = table(.staggered, stagger: .milliseconds(500))
        policy.advanceOnFailure = true
        var connector = try FallbackConnector(policy: policy, url: url)
        _ = connector.start()
        _ = connector.attemptFailed(AttemptID(1), .refused)
        // A live runtime may deliver the cancelled generation-1 timer anyway.
        #expect(connector.timerFired(.stagger(generation: 1)) == .wait)
        #expect(connector.timerFired(.stagger(generation: 2)).started == ["rtmpt:80"])
    }

    // MARK: parallel

    @Test func parallelStartsAllAtZeroAndFailsWhenAllFailed() throws {
        var driver = try VirtualDriver(table(.parallel), url: url)
        #expect(driver.start().started == ["rtmp:1935", "rtmp:443", "rtmpt:80"])
        #expect(driver.fail(2, .refused) == .wait)
        #expect(driver.fail(1, .unreachable) == .wait)
        #expect(driver.fail(3, .rejected("NetConnection.Connect.Rejected")).failure
            == .exhausted(attempts: 3, lastFailure: .rejected("NetConnection.Connect.Rejected")))
    }

    @Test func parallelRetriesOnlyTheFailedCandidate() throws {
        var policy = table(.parallel)
        policy.retries = 1
        policy.attemptTimeout = .milliseconds(2000)
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 500)
        let retry = driver.fail(2, .refused)
        #expect(retry.started == ["rtmp:443"])
        #expect(retry.steps?.scheduleTimers == [.init(.attemptTimeout(AttemptID(4)), after: .milliseconds(2000))])
        // #1 and #3 time out at 2000 ms and are retried; #4 times out at 2500 ms, its candidate is done.
        let timeouts = driver.advance(ms: 1500)
        #expect(timeouts.cancelled == [Cancel(1, .policyTimeout), Cancel(3, .policyTimeout)])
        #expect(timeouts.started == ["rtmp:1935", "rtmpt:80"])
        #expect(driver.advance(ms: 499).isEmpty)
        #expect(driver.advance(ms: 1).cancelled == [Cancel(4, .policyTimeout)])
        let end = driver.advance(ms: 1500)
        #expect(end.last?.failure == .exhausted(attempts: 6, lastFailure: nil))
        #expect(driver.timeline.timeToFail == .milliseconds(4000))
    }

    // MARK: winners and losers

    @Test func aWinnerCancelsLosersAndEveryTimer() throws {
        var policy = table(.staggered, stagger: .milliseconds(500))
        policy.attemptTimeout = .seconds(10)
        policy.overallTimeout = .seconds(30)
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 500)
        #expect(
            driver.succeed(2)
                == .connected(
                    winner: AttemptID(2), via: candidate(.rtmp, 443),
                    cleanup: Steps(
                        cancelAttempts: [.init(AttemptID(1), .loser)],
                        cancelTimers: [
                            .attemptTimeout(AttemptID(2)), .attemptTimeout(AttemptID(1)), .overallTimeout,
                            .stagger(generation: 2),
                        ]
                    )))
        #expect(driver.armed.isEmpty)
        #expect(driver.open.isEmpty)
        // Late: the cancelled loser connects anyway, and the runtime must close it; a late failure is ignored.
        #expect(driver.succeed(1) == .closeLateSuccess(AttemptID(1)))
        #expect(driver.fail(1, .closed) == .wait)
        #expect(driver.succeed(2) == .wait)
        #expect(driver.succeed(99) == .wait)
        #expect(driver.connector.timerFired(.overallTimeout) == .wait)
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["cancelled", "won"])
        #expect(driver.timeline.attempt(AttemptID(1))?.cancelReason == .loser)
    }

    @Test func overallTimeoutAtNMinus1AndN() throws {
        var policy = table(.sequential)
        policy.overallTimeout = .milliseconds(5000)
        var driver = try VirtualDriver(policy, url: url)
        #expect(driver.start().steps?.scheduleTimers == [.init(.overallTimeout, after: .milliseconds(5000))])
        _ = driver.fail(1, .refused)
        #expect(driver.advance(ms: 4999).isEmpty)
        #expect(
            driver.advance(ms: 1) == [
                .failed(.overallTimeout(.milliseconds(5000)), cleanup: Steps(cancelAttempts: [.init(AttemptID(2), .overallTimeout)]))
            ])
        #expect(driver.timeline.timeToFail == .milliseconds(5000))
        #expect(driver.succeed(2) == .closeLateSuccess(AttemptID(2)))
    }

    /// Late events after the run is decided are absorbed: an attempt whose end crossed the cancel, a
    /// timer that fired as it was cancelled, an attempt the run no longer knows.
    @Test func lateEventsAreAbsorbed() throws {
        var connector = try FallbackConnector(policy: table(.sequential), url: url)
        #expect(connector.start().started == ["rtmp:1935"])
        #expect(connector.attemptFailed(AttemptID(7), .refused) == .wait)
        #expect(connector.timerFired(.attemptTimeout(AttemptID(1))) == .wait)
    }

    /// Impossible inputs trap with the state and the input, as swift-nio's HappyEyeballs and
    /// postgres-nio's state machines do (issue 12): they are runtime bugs, not events to absorb.
    @Test func aSecondStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var connector = try FallbackConnector(policy: Policy(name: "t", mode: .sequential, candidates: [.url]), url: "rtmp://h/live")
            _ = connector.start()
            _ = connector.start()
        }
    }

    @Test func anAttemptBeforeStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var connector = try FallbackConnector(policy: Policy(name: "t", mode: .sequential, candidates: [.url]), url: "rtmp://h/live")
            _ = connector.attemptSucceeded(AttemptID(1))
        }
        await #expect(processExitsWith: .failure) {
            var connector = try FallbackConnector(policy: Policy(name: "t", mode: .sequential, candidates: [.url]), url: "rtmp://h/live")
            _ = connector.attemptFailed(AttemptID(1), .refused)
        }
        await #expect(processExitsWith: .failure) {
            var connector = try FallbackConnector(policy: Policy(name: "t", mode: .sequential, candidates: [.url]), url: "rtmp://h/live")
            _ = connector.timerFired(.overallTimeout)
        }
    }

    // MARK: retries

    @Test func retriesRestartTheSameCandidateOnConnectFailedOnly() throws {
        var policy = table(.sequential)
        policy.retries = 1
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        let retry = driver.fail(1, .refused)
        #expect(
            retry
                == .proceed(
                    Steps(startAttempts: [.init(id: AttemptID(2), candidate: candidate(.rtmp, 1935), candidateIndex: 0, tryNumber: 2)])))
        #expect(driver.fail(2, .refused).started == ["rtmp:443"])
        // A rejection is an answer: no retry.
        #expect(driver.fail(3, .rejected("no")).started == ["rtmpt:80"])
        #expect(driver.timeline.attempts.map(\.tryNumber) == [1, 2, 1, 1])
    }

    // MARK: redirects

    @Test func redirectFollowedAfterItsDelayAtNMinus1AndN() throws {
        var policy = table(.sequential)
        policy.followRedirects = true
        policy.redirectDelay = .milliseconds(100)
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 40)
        #expect(
            driver.redirect(1, to: "rtmp://edge.example.com/live")
                == .proceed(Steps(scheduleTimers: [.init(.redirect(AttemptID(1)), after: .milliseconds(100))])))
        #expect(driver.advance(ms: 99).isEmpty)
        let edge = Candidate(scheme: .rtmp, host: "edge.example.com", port: 1935, path: "live")
        #expect(
            driver.advance(ms: 1) == [
                .proceed(
                    Steps(startAttempts: [.init(id: AttemptID(2), candidate: edge, candidateIndex: 0, redirectedFrom: AttemptID(1))]))
            ])
        #expect(driver.succeed(2).winner == 2)
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["redirected", "won"])
        #expect(driver.timeline.attempt(AttemptID(1))?.detail == "rtmp://edge.example.com/live")
        #expect(driver.timeline.attempt(AttemptID(2))?.redirectedFrom == AttemptID(1))
    }

    @Test func redirectLimitNotFollowedAndInvalidTargetsFailTheAttempt() throws {
        var policy = table(.sequential)
        policy.followRedirects = true
        policy.redirectLimit = 1
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        #expect(driver.redirect(1, to: "rtmp://edge/live").started == ["rtmp:1935"])
        // The second redirect is over the limit: the candidate fails and the next one starts.
        #expect(driver.redirect(2, to: "rtmp://edge2/live").started == ["rtmp:443"])
        #expect(driver.timeline.attempts[2].candidate.host == "media.example.com")

        var invalid = try VirtualDriver(policy, url: url)
        _ = invalid.start()
        #expect(invalid.redirect(1, to: "http://web/").started == ["rtmp:443"])

        var notFollowed = try VirtualDriver(table(.sequential), url: url)
        _ = notFollowed.start()
        _ = notFollowed.redirect(1, to: "rtmp://edge/live")
        _ = notFollowed.fail(2, .refused)
        #expect(notFollowed.fail(3, .refused).failure == .exhausted(attempts: 3, lastFailure: .refused))
        var onlyRedirects = try VirtualDriver(Policy(name: "one", mode: .sequential, candidates: [.url]), url: url)
        _ = onlyRedirects.start()
        #expect(
            onlyRedirects.redirect(1, to: "rtmp://edge/live").failure
                == .exhausted(attempts: 1, lastFailure: .rejected("redirect to rtmp://edge/live not followed")))
    }

    @Test func redirectLoopIsBoundedByTheLimit() throws {
        var policy = Policy(name: "loop", mode: .sequential, candidates: [.url], followRedirects: true, redirectLimit: 5)
        policy.redirectDelay = .zero
        var driver = try VirtualDriver(policy, url: url)
        _ = driver.start()
        var last: FallbackConnector.Action = .wait
        for id in 1...6 {
            last = driver.redirect(id, to: id.isMultiple(of: 2) ? "rtmp://a/live" : "rtmp://b/live")
        }
        #expect(last.failure == .exhausted(attempts: 6, lastFailure: .rejected("redirect limit (5) reached at rtmp://a/live")))
    }

    // MARK: minimum spacing

    @Test func minimumSpacingDefersAnAdvanceToNAndNotNMinus1() throws {
        var policy = table(.staggered, stagger: .milliseconds(250))
        policy.advanceOnFailure = true
        policy.minimumSpacing = .milliseconds(10)
        var driver = try VirtualDriver(policy, url: url)
        #expect(
            driver.start().steps?.scheduleTimers == [
                .init(.minimumSpacing(generation: 1), after: .milliseconds(10)),
                .init(.stagger(generation: 1), after: .milliseconds(250)),
            ])
        _ = driver.advance(ms: 3)
        #expect(driver.fail(1, .refused) == .wait)
        #expect(driver.advance(ms: 6).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmp:443"])
        #expect(driver.now == .milliseconds(10))
        // After the spacing, a failure advances at once.
        _ = driver.advance(ms: 20)
        #expect(driver.fail(2, .refused).started == ["rtmpt:80"])
    }

    // MARK: timeline

    @Test func timelineRecordsPhasesEndingsAndCost() throws {
        var driver = try VirtualDriver(table(.staggered, stagger: .milliseconds(500)), url: url)
        _ = driver.start()
        driver.timeline.reach(.tcpConnected, attempt: AttemptID(1), at: .milliseconds(40))
        driver.timeline.reach(.tcpConnected, attempt: AttemptID(1), at: .milliseconds(41))
        _ = driver.advance(ms: 500)
        driver.timeline.reach(.tcpConnected, attempt: AttemptID(2), at: .milliseconds(540))
        driver.timeline.reach(.handshakeDone, attempt: AttemptID(2), at: .milliseconds(620))
        _ = driver.advance(ms: 200)
        _ = driver.succeed(2)
        driver.timeline.serverCost = ServerCost(connectionsAccepted: 2, handshakesCompleted: 2, wastedConnections: 1)
        let timeline = driver.timeline
        #expect(timeline.outcome == .connected)
        #expect(timeline.timeToConnect == .milliseconds(700))
        #expect(timeline.timeToFail == nil)
        #expect(timeline.winningAttempt?.candidate.label == "rtmp:443")
        #expect(timeline.attempt(AttemptID(1))?.time(of: .tcpConnected) == .milliseconds(40))
        #expect(timeline.attempt(AttemptID(2))?.phases == [
            .tcpConnected: .milliseconds(540), .handshakeDone: .milliseconds(620), .connectResult: .milliseconds(700),
        ])
        #expect(timeline.attempt(AttemptID(2))?.duration == .milliseconds(200))
        #expect(timeline.regret(oracle: .milliseconds(120)) == .milliseconds(580))
        #expect(timeline.regret(oracle: nil) == nil)
    }

    @Test func endingVocabularyIsExactlyTheReportColumns() {
        #expect(AttemptEnding.allCases.map(\.rawValue) == [
            "won", "refused", "unreachable", "timeout", "rejected", "redirected", "closed", "proxy-error", "cancelled",
        ])
        #expect(TimeoutOwner.allCases.map(\.rawValue) == ["os", "policy"])
        #expect(AttemptFailure.proxyError("403").ending == .proxyError)
        #expect(AttemptFailure.osTimeout.ending == .timeout)
        #expect(CancelReason.policyTimeout.ending == .timeout)
        #expect(CancelReason.policyTimeout.timeoutOwner == .policy)
        #expect(CancelReason.abandoned.ending == .cancelled)
        #expect(AttemptPhase.allCases.map(\.rawValue) == [
            "tcp-connected", "tunnel-opened", "handshake-done", "connect-result", "stream-created", "play-started",
            "first-frame", "reconnect-requested", "last-frame",
        ])
    }
}
