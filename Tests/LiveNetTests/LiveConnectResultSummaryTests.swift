import Connector
import RunCore
import Testing

@testable import LiveNet

@Suite("LiveConnectResult summary")
struct LiveConnectResultSummaryTests {
    @Test func connectedListsEveryPhase() {
        let result = LiveConnectResult(
            url: "rtmp://127.0.0.1:19350/live", outcome: .ended(.succeeded), tcpConnected: .microseconds(120),
            handshakeDone: .microseconds(950), connectResult: .microseconds(2_410), elapsed: .microseconds(2_410))
        #expect(result.summary == "connected rtmp://127.0.0.1:19350/live in 2.41 ms (tcp 0.12, handshake 0.95, connect 2.41)")
        #expect(result.succeeded)
    }

    @Test func failuresNameTheReasonAndThePhasesReached() {
        let refused = LiveConnectResult(url: "rtmp://127.0.0.1:1/live", outcome: .ended(.failed(.refused)), elapsed: .microseconds(204))
        #expect(refused.summary == "failed rtmp://127.0.0.1:1/live: refused in 0.20 ms")
        let rejected = LiveConnectResult(
            url: "rtmpt://127.0.0.1:80/live", outcome: .ended(.failed(.rejected("go away"))), tcpConnected: .microseconds(100),
            tunnelOpened: .microseconds(400), handshakeDone: .milliseconds(1), connectResult: .milliseconds(2),
            elapsed: .milliseconds(2))
        #expect(rejected.summary == "failed rtmpt://127.0.0.1:80/live: rejected: go away in 2.00 ms (tcp 0.10, tunnel 0.40, handshake 1.00, connect 2.00)")
        #expect(!rejected.succeeded)
        let redirected = LiveConnectResult(url: "rtmp://a/live", outcome: .ended(.redirected(to: "rtmp://b/live")), elapsed: .seconds(1))
        #expect(redirected.reason == "redirect: rtmp://b/live")
        #expect(LiveConnectResult(url: "u", outcome: .timeout, elapsed: .seconds(5)).reason == "timeout")
        #expect(LiveConnectResult(url: "u", outcome: .ended(.failed(.osTimeout)), elapsed: .seconds(5)).reason == "timeout")
    }

    @Test func aPlayedStreamAddsItsFirstFrameAfterTheConnect() {
        let played = LiveConnectResult(
            url: "rtmp://127.0.0.1:19350/live", outcome: .ended(.succeeded), tcpConnected: .microseconds(120),
            handshakeDone: .microseconds(950), connectResult: .microseconds(2_410), elapsed: .microseconds(30_200),
            stream: "x", streamCreated: .microseconds(2_800), playStarted: .microseconds(3_500),
            firstFrame: .microseconds(30_120), play: .firstFrame)
        #expect(played.summary == "connected rtmp://127.0.0.1:19350/live in 2.41 ms (tcp 0.12, handshake 0.95, connect 2.41); "
            + "first frame of x in 30.12 ms (stream 2.80, play start 3.50)")
        #expect(played.achieved)
    }

    /// A play that brings no picture fails the line, and the exit status, though the connect succeeded.
    @Test func aFailedPlayIsAFailureWithThePlaysReason() {
        let notFound = LiveConnectResult(
            url: "rtmpt://127.0.0.1:80/live", outcome: .ended(.succeeded), tcpConnected: .microseconds(100),
            tunnelOpened: .microseconds(400), handshakeDone: .milliseconds(1), connectResult: .milliseconds(2),
            elapsed: .milliseconds(4), stream: "x", streamCreated: .milliseconds(3), play: .failed("No such stream"))
        #expect(notFound.summary == "failed rtmpt://127.0.0.1:80/live: play x: No such stream in 4.00 ms "
            + "(tcp 0.10, tunnel 0.40, handshake 1.00, connect 2.00, stream 3.00)")
        #expect(notFound.succeeded && !notFound.achieved)
        let timedOut = LiveConnectResult(
            url: "u", outcome: .ended(.succeeded), connectResult: .milliseconds(2), elapsed: .seconds(5), stream: "x",
            streamCreated: .milliseconds(3), playStarted: .milliseconds(4), play: .timeout)
        #expect(timedOut.reason == "play x: timeout")
        #expect(timedOut.summary == "failed u: play x: timeout in 5000.00 ms (connect 2.00, stream 3.00, play start 4.00)")
        #expect(!timedOut.achieved)
        // A connect that failed is the line it always was, stream or not.
        let refused = LiveConnectResult(url: "u", outcome: .ended(.failed(.refused)), elapsed: .microseconds(204), stream: "x")
        #expect(refused.summary == "failed u: refused in 0.20 ms")
        #expect(!refused.achieved)
    }

    @Test(arguments: [
        (Duration.zero, "0.00"), (.nanoseconds(4_999), "0.00"), (.nanoseconds(5_000), "0.01"),
        (.microseconds(2_414), "2.41"), (.microseconds(2_415), "2.42"), (.seconds(3), "3000.00"),
    ])
    func millisecondsRoundHalfUp(duration: Duration, text: String) {
        #expect(LiveConnectResult.milliseconds(duration) == text)
    }
}
