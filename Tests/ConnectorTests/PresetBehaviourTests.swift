import Testing
@testable import Connector

/// Each preset's documented behaviour and quirks, as transcripts on the virtual clock.
@Suite struct PresetBehaviourTests {
    typealias Steps = FallbackConnector.Steps
    let url = "rtmp://media.example.com/live"

    // MARK: flash-builtin

    @Test func flashBuiltinWaitsForEachOSTimeoutInTurn() throws {
        var driver = try VirtualDriver(.flashBuiltin, url: url)
        #expect(driver.start().started == ["rtmp:1935"])
        // No policy timer at all: only the OS ends an attempt.
        #expect(driver.armed.isEmpty)
        _ = driver.advance(ms: 21_000)
        #expect(driver.fail(1, .osTimeout).started == ["rtmp:443"])
        _ = driver.advance(ms: 21_000)
        #expect(driver.fail(2, .osTimeout).started == ["rtmp:80"])
        _ = driver.advance(ms: 21_000)
        #expect(driver.fail(3, .osTimeout).started == ["rtmpt:80"])
        _ = driver.advance(ms: 120)
        #expect(driver.succeed(4).winner == 4)
        #expect(driver.timeline.timeToConnect == .milliseconds(63_120))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["timeout(os)", "timeout(os)", "timeout(os)", "won"])
    }

    @Test func flashBuiltinWithAnExplicitPortHasNoFallback() throws {
        var driver = try VirtualDriver(.flashBuiltin, url: "rtmp://media.example.com:80/live")
        #expect(driver.start().started == ["rtmp:80"])
        _ = driver.advance(ms: 10)
        // A transparent proxy on port 80 answers 400 and closes: no RTMPT, the player fails.
        #expect(
            driver.fail(1, .closed)
                == .failed(.exhausted(attempts: 1, lastFailure: .closed), cleanup: Steps()))
    }

    // MARK: flash-fms3

    @Test func flashFMS3SkipsRtmp443AndReachesTheTunnelOneTimeoutSooner() throws {
        var driver = try VirtualDriver(.flashFMS3, url: url)
        #expect(driver.start().started == ["rtmp:1935"])
        #expect(driver.armed.isEmpty)
        _ = driver.advance(ms: 21_000)
        #expect(driver.fail(1, .osTimeout).started == ["rtmp:80"])
        _ = driver.advance(ms: 21_000)
        #expect(driver.fail(2, .osTimeout).started == ["rtmpt:80"])
        _ = driver.advance(ms: 120)
        #expect(driver.succeed(3).winner == 3)
        // flash-builtin's rtmp:443 step is the 21 s this order does not spend.
        #expect(driver.timeline.timeToConnect == .milliseconds(42_120))
    }

    @Test func flashFMS3WithAnExplicitPortHasNoFallback() throws {
        var driver = try VirtualDriver(.flashFMS3, url: "rtmp://media.example.com:1935/live")
        #expect(driver.start().started == ["rtmp:1935"])
        _ = driver.advance(ms: 21_000)
        #expect(
            driver.fail(1, .osTimeout)
                == .failed(.exhausted(attempts: 1, lastFailure: .osTimeout), cleanup: Steps()))
    }

    // MARK: jw4-streamer-list

    @Test func jw4GivesEachURLThreeSecondsThenFailsAfterNTries() throws {
        var driver = try VirtualDriver(.jw4StreamerList, url: "rtmp://a/live|rtmpt://a/live|rtmp://b:443/live")
        #expect(driver.start().started == ["rtmp:1935"])
        #expect(driver.advance(ms: 2999).isEmpty)
        let second = driver.advance(ms: 1)
        #expect(second.cancelled == [Cancel(1, .policyTimeout)])
        #expect(second.started == ["rtmpt:80"])
        #expect(driver.advance(ms: 2999).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmp:443"])
        #expect(driver.advance(ms: 2999).isEmpty)
        let end = driver.advance(ms: 1)
        #expect(end.map(\.failure) == [.exhausted(attempts: 3, lastFailure: nil)])
        #expect(end.first?.failure?.description.hasPrefix("Failed to connect after 3 tries") == true)
        #expect(driver.timeline.timeToFail == .milliseconds(9000))
        #expect(driver.timeline.attempts.map(\.candidate.host) == ["a", "a", "b"])
    }

    @Test func jw4MovesOnAtOnceWhenAURLFails() throws {
        var driver = try VirtualDriver(.jw4StreamerList, url: "rtmp://a/live|rtmpt://a/live")
        _ = driver.start()
        _ = driver.advance(ms: 5)
        let next = driver.fail(1, .refused)
        #expect(next.started == ["rtmpt:80"])
        #expect(next.steps?.cancelTimers == [.attemptTimeout(AttemptID(1))])
        _ = driver.advance(ms: 200)
        #expect(driver.succeed(2).winner == 2)
        #expect(driver.timeline.timeToConnect == .milliseconds(205))
    }

    // MARK: jw5-tunneling

    @Test func jw5AbandonsTheFirstAttemptAtFiveSeconds() throws {
        var driver = try VirtualDriver(.jw5Tunneling, url: url)
        #expect(driver.start().started == ["rtmp:1935"])
        #expect(driver.advance(ms: 4999).isEmpty)
        let tunnel = driver.advance(ms: 1)
        #expect(
            tunnel == [
                .proceed(
                    Steps(
                        cancelAttempts: [.init(AttemptID(1), .abandoned)],
                        startAttempts: [
                            .init(
                                id: AttemptID(2),
                                candidate: Candidate(scheme: .rtmpt, host: "media.example.com", port: 80, path: "live"),
                                candidateIndex: 1)
                        ]
                    ))
            ])
        // The abandoned attempt connecting late is closed.
        #expect(driver.succeed(1) == .closeLateSuccess(AttemptID(1)))
        _ = driver.advance(ms: 300)
        #expect(driver.succeed(2).winner == 2)
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["cancelled", "won"])
        #expect(driver.timeline.attempt(AttemptID(1))?.cancelReason == .abandoned)
    }

    /// `Connect.Failed` clears `_responded` for a non-tunneled streamer (RTMPMediaProvider's
    /// statusHandler), so a reset at 30 ms still leaves the tunnel to start at exactly 5 s.
    @Test func jw5AResetBeforeTheTunnelStillGetsTheTunnelAtFiveSeconds() throws {
        var driver = try VirtualDriver(.jw5Tunneling, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 30)
        #expect(driver.fail(1, .refused) == .wait)
        #expect(driver.advance(ms: 4969).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        _ = driver.advance(ms: 160)
        #expect(driver.succeed(2).winner == 2)
        #expect(driver.timeline.timeToConnect == .milliseconds(5160))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["refused", "won"])
    }

    /// `Connect.Rejected` without a 302 reports an error and stops; the scheduled tunnel then finds
    /// `_responded` set and does nothing.
    @Test func jw5ARejectionEndsTheLoad() throws {
        var driver = try VirtualDriver(.jw5Tunneling, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 30)
        let end = driver.fail(1, .rejected("no"))
        #expect(end == .failed(.rejectionEndedAll(.rejected("no")), cleanup: Steps(cancelTimers: [.stagger(generation: 1)])))
        #expect(driver.advance(ms: 10_000).isEmpty)
    }

    /// A failure of the tunnel, the last candidate, ends the load ("Server not found").
    @Test func jw5AFailedTunnelEndsTheLoad() throws {
        var driver = try VirtualDriver(.jw5Tunneling, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 5000)
        let end = driver.fail(2, .refused)
        #expect(end.failure == .exhausted(attempts: 2, lastFailure: .refused))
    }

    @Test func jw5ReloadsTheRedirectURLAfter100ms() throws {
        var driver = try VirtualDriver(.jw5Tunneling, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 50)
        let redirect = driver.redirect(1, to: "rtmp://edge.example.com/live")
        #expect(redirect.steps?.cancelTimers == [.stagger(generation: 1)])
        #expect(redirect.steps?.scheduleTimers == [.init(.redirect(AttemptID(1)), after: .milliseconds(100))])
        #expect(driver.advance(ms: 99).isEmpty)
        let reload = driver.advance(ms: 1)
        #expect(reload.started == ["rtmp:1935"])
        #expect(driver.timeline.attempt(AttemptID(2))?.candidate.host == "edge.example.com")
        // The reload schedules its own tunnel 5 s later.
        #expect(driver.advance(ms: 4999).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
    }

    // MARK: ncmanager-flex

    @Test func ncmanagerFlexStartsEvery1500ms() throws {
        var driver = try VirtualDriver(.ncmanagerFlex, url: url)
        let first = driver.start()
        #expect(first.started == ["rtmp:1935"])
        #expect(first.steps?.scheduleTimers.map(\.after) == [.milliseconds(60_000), .milliseconds(1500)])
        for label in ["rtmp:443", "rtmpt:80", "rtmps:443"] {
            #expect(driver.advance(ms: 1499).isEmpty)
            #expect(driver.advance(ms: 1).started == [label])
        }
        #expect(driver.now == .milliseconds(4500))
    }

    @Test func ncmanagerFlexIgnoresEarlierFailuresAndAFastRTMPSFailureEndsTheRoundWhileRTMPTIsPending() throws {
        var driver = try VirtualDriver(.ncmanagerFlex, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 1510)
        #expect(driver.fail(2, .refused) == .wait)
        _ = driver.advance(ms: 1490)
        #expect(driver.open == [AttemptID(1), AttemptID(3)])
        _ = driver.advance(ms: 1500)
        // rtmps:443 refused at 4.52 s while rtmp:1935 (dropped) and rtmpt:80 (slow proxy) are pending.
        _ = driver.advance(ms: 20)
        let end = driver.fail(4, .refused)
        #expect(
            end
                == .failed(
                    .roundEnded(.refused),
                    cleanup: Steps(
                        cancelAttempts: [.init(AttemptID(1), .roundEnded), .init(AttemptID(3), .roundEnded)],
                        cancelTimers: [.overallTimeout]
                    )))
        #expect(driver.timeline.timeToFail == .milliseconds(4520))
        // rtmpt would have connected a moment later: it is closed.
        _ = driver.advance(ms: 100)
        #expect(driver.succeed(3) == .closeLateSuccess(AttemptID(3)))
    }

    @Test func ncmanagerFlexEarlierFailuresDoNotEndTheRoundEvenWhenAllFailed() throws {
        var driver = try VirtualDriver(.ncmanagerFlex, url: url)
        _ = driver.start()
        #expect(driver.fail(1, .refused) == .wait)
        _ = driver.advance(ms: 1500)
        #expect(driver.fail(2, .refused) == .wait)
        _ = driver.advance(ms: 1500)
        #expect(driver.fail(3, .closed) == .wait)
        #expect(driver.advance(ms: 1499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmps:443"])
        #expect(driver.fail(4, .refused).failure == .roundEnded(.refused))
    }

    @Test func ncmanagerFlexLetsPendingLosersRunAndClosesThemWhenTheySucceed() throws {
        var driver = try VirtualDriver(.ncmanagerFlex, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 3000)
        _ = driver.advance(ms: 150)
        let win = driver.succeed(3)
        #expect(
            win
                == .connected(
                    winner: AttemptID(3), via: Candidate(scheme: .rtmpt, host: "media.example.com", port: 80, path: "live"),
                    cleanup: Steps(cancelTimers: [.overallTimeout, .stagger(generation: 3)])))
        #expect(driver.open == [AttemptID(1), AttemptID(2)])
        #expect(driver.succeed(2) == .closeLateSuccess(AttemptID(2)))
        #expect(driver.fail(1, .osTimeout) == .wait)
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["timeout(os)", "cancelled", "won"])
    }

    @Test func ncmanagerFlexOverallTimeoutAt60s() throws {
        var driver = try VirtualDriver(.ncmanagerFlex, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 59_999)
        #expect(driver.open.count == 4)
        let end = driver.advance(ms: 1)
        #expect(end.map(\.failure) == [.overallTimeout(.seconds(60))])
        #expect(end.cancelled == (1...4).map { Cancel($0, .overallTimeout) })
    }

    // MARK: ncmanager-flvplayback

    @Test func flvPlaybackTriesTheTunneledFormAfter1500msAndRestartsOnARedirect() throws {
        var driver = try VirtualDriver(.ncmanagerFLVPlayback, url: "rtmp://media.example.com:1936/live")
        #expect(driver.start().started == ["rtmp:1936"])
        #expect(driver.advance(ms: 1499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        _ = driver.advance(ms: 500)
        let restart = driver.redirect(1, to: "rtmp://edge.example.com/live")
        #expect(restart.cancelled == [Cancel(2, .redirectRestart)])
        #expect(restart.started == ["rtmp:1935"])
        #expect(driver.timeline.attempt(AttemptID(3))?.candidate.host == "edge.example.com")
        #expect(driver.advance(ms: 1499).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        #expect(driver.timeline.attempt(AttemptID(4))?.candidate.url == "rtmpt://edge.example.com:80/live")
    }

    @Test func flvPlaybackANonRTMPRedirectFails() throws {
        var driver = try VirtualDriver(.ncmanagerFLVPlayback, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 1500)
        #expect(driver.redirect(1, to: "http://example.com/") == .wait)
        #expect(driver.fail(2, .refused).failure == .exhausted(attempts: 2, lastFailure: .refused))
    }

    // MARK: flowplayer

    @Test func flowplayerStartsRTMPTAfter250ms() throws {
        var driver = try VirtualDriver(.flowplayer, url: url)
        #expect(driver.start().started == ["rtmp:1935"])
        #expect(driver.advance(ms: 249).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        _ = driver.advance(ms: 100)
        // rtmpt wins; the rtmp attempt is closed, and closed again if it connects late.
        let win = driver.succeed(2)
        #expect(win.cancelled == [Cancel(1, .loser)])
        #expect(driver.succeed(1) == .closeLateSuccess(AttemptID(1)))
    }

    @Test func flowplayerTriesThreeTimesOnConnectFailedAndFailsAtOnceOnRejected() throws {
        var driver = try VirtualDriver(.flowplayer, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 10)
        let retry1 = driver.fail(1, .refused)
        #expect(retry1.started == ["rtmp:1935"])
        #expect(retry1.steps?.startAttempts.map(\.tryNumber) == [2])
        #expect(driver.fail(2, .refused).steps?.startAttempts.map(\.tryNumber) == [3])
        // Third Connect.Failed: this connector is done; the other has not failed, so nothing ends.
        #expect(driver.fail(3, .refused) == .wait)
        #expect(driver.advance(ms: 239).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        // Rejected: no retry, and both connectors have failed.
        #expect(
            driver.fail(4, .rejected("NetConnection.Connect.Rejected")).failure
                == .exhausted(attempts: 4, lastFailure: .rejected("NetConnection.Connect.Rejected")))
    }

    @Test func flowplayerARejectionFailsThatConnectorWithoutRetryButNotTheOther() throws {
        var driver = try VirtualDriver(.flowplayer, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 80)
        #expect(driver.fail(1, .rejected("NetConnection.Connect.Rejected")) == .wait)
        #expect(driver.open.isEmpty)
        #expect(driver.advance(ms: 169).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        _ = driver.advance(ms: 90)
        #expect(driver.succeed(2).winner == 2)
        #expect(driver.timeline.timeToConnect == .milliseconds(340))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["rejected", "won"])
    }

    @Test func flowplayerFollowsARedirectAfter100ms() throws {
        var driver = try VirtualDriver(.flowplayer, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 60)
        #expect(driver.redirect(1, to: "rtmp://edge.example.com/live").steps?.scheduleTimers == [
            .init(.redirect(AttemptID(1)), after: .milliseconds(100))
        ])
        #expect(driver.advance(ms: 99).isEmpty)
        // At 160 ms: the redirect target; at 250 ms rtmpt on the original host as planned.
        let followed = driver.advance(ms: 1)
        #expect(followed.started == ["rtmp:1935"])
        #expect(followed.first?.steps?.startAttempts.first?.redirectedFrom == AttemptID(1))
        #expect(driver.advance(ms: 90).started == ["rtmpt:80"])
        #expect(driver.timeline.attempts.map(\.candidate.host) == ["media.example.com", "edge.example.com", "media.example.com"])
    }

    // MARK: akamai

    @Test func akamaiStartsItsTwelveCombinations200msApart() throws {
        var driver = try VirtualDriver(.akamai, url: url)
        var started = driver.start().started
        for _ in 1..<12 {
            #expect(driver.advance(ms: 199).isEmpty)
            started += driver.advance(ms: 1).started
        }
        #expect(started == Preset.akamai.policy.candidates(for: [try ConnectURL(parsing: url)]).map(\.label))
        #expect(started.count == 12)
        #expect(driver.now == .milliseconds(2200))
        #expect(driver.armed.map(\.id) == [.overallTimeout])
        _ = driver.advance(ms: 7799)
        #expect(driver.connector.isFinished == false)
        let end = driver.advance(ms: 1)
        #expect(end.map(\.failure) == [.overallTimeout(.seconds(10))])
        #expect(end.cancelled.count == 12)
    }

    @Test func akamaiAnyFailureClosesAll() throws {
        var driver = try VirtualDriver(.akamai, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 400)
        // rtmp:443 answered with a TCP reset: the whole race ends, although 1935 and 80 are pending.
        _ = driver.advance(ms: 5)
        let end = driver.fail(3, .refused)
        #expect(
            end
                == .failed(
                    .anyFailureEndedAll(.refused),
                    cleanup: Steps(
                        cancelAttempts: [.init(AttemptID(1), .anyFailureEndsAll), .init(AttemptID(2), .anyFailureEndsAll)],
                        cancelTimers: [.overallTimeout, .stagger(generation: 3)]
                    )))
        #expect(driver.timeline.timeToFail == .milliseconds(405))
        #expect(driver.timeline.attempts.map(\.endingLabel) == ["cancelled", "cancelled", "refused"])
    }

    // MARK: happy-eyeballs

    @Test func happyEyeballsStaggers250msAndAdvancesAtOnceOnFailure() throws {
        var driver = try VirtualDriver(.happyEyeballs, url: url)
        #expect(driver.start().started == ["rtmp:1935"])
        #expect(driver.advance(ms: 249).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmp:443"])
        _ = driver.advance(ms: 30)
        // #1 is still pending: a failure of #2 waits for the delay (only its own timeout goes).
        #expect(driver.fail(2, .refused) == .proceed(Steps(cancelTimers: [.attemptTimeout(AttemptID(2))])))
        #expect(driver.advance(ms: 219).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        _ = driver.fail(1, .unreachable)
        _ = driver.advance(ms: 40)
        // Nothing else pending: the next starts at once.
        #expect(driver.fail(3, .closed).started == ["rtmps:443"])
        #expect(driver.now == .milliseconds(540))
    }

    @Test func happyEyeballsNeverStartsTwoWithin10ms() throws {
        var driver = try VirtualDriver(.happyEyeballs, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 2)
        #expect(driver.fail(1, .refused) == .proceed(Steps(cancelTimers: [.attemptTimeout(AttemptID(1))])))
        #expect(driver.advance(ms: 7).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmp:443"])
        _ = driver.advance(ms: 1)
        #expect(driver.fail(2, .refused) == .proceed(Steps(cancelTimers: [.attemptTimeout(AttemptID(2))])))
        #expect(driver.advance(ms: 8).isEmpty)
        #expect(driver.advance(ms: 1).started == ["rtmpt:80"])
        #expect(driver.now == .milliseconds(20))
    }

    @Test func happyEyeballsTimesOutEachAttemptAt10s() throws {
        var driver = try VirtualDriver(.happyEyeballs, url: url)
        _ = driver.start()
        _ = driver.advance(ms: 750)
        #expect(driver.open.count == 4)
        // #1 started at 0: its timeout fires at 10 000 ms, not 9 999.
        #expect(driver.advance(ms: 9249).isEmpty)
        #expect(driver.advance(ms: 1).cancelled == [Cancel(1, .policyTimeout)])
        _ = driver.advance(ms: 750)
        let end = driver.timeline
        #expect(end.outcome == .failed)
        #expect(end.timeToFail == .milliseconds(10_750))
        #expect(end.attempts.map(\.endingLabel) == Array(repeating: "timeout(policy)", count: 4))
    }
}
