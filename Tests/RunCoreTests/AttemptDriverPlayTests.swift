import Connector
import RTMP
import Testing
import RunCore

/// The winner of a player that plays: the driver keeps its connection, runs the session (and the
/// tunnel, which polls again) to the first frame, and reports the play's end once.
@Suite struct AttemptDriverPlayTests {
    static let media = PlayableMedia.synthetic(SyntheticVideo())

    @Test func aWinnerPlaysToItsFirstFrameOnItsOwnConnection() {
        let wire = AttemptWire(behavior: .accept, media: Self.media)
        wire.playing = "stream"
        wire.run()
        #expect(wire.milestones == [
            .reached(.handshakeDone), .digest(verified: true), .reached(.connectResult), .ended(.succeeded),
            .reached(.streamCreated), .reached(.playStarted), .reached(.firstFrame), .played(.firstFrame),
        ])
        #expect(!wire.milestones.contains(.closed), "the player closes the winner, not the driver")
        #expect(wire.driver.hasEnded, "after the play the driver ignores what still arrives")
        #expect(wire.server.timers.contains("schedule nextFrame after 0.1 seconds"), "the server's play clock runs")
    }

    @Test func throughTheTunnelThePlayPollsAgain() {
        let wire = AttemptWire(behavior: .accept, tunneled: true, media: Self.media)
        wire.playing = "stream"
        wire.run()
        #expect(wire.milestones.suffix(5) == [
            .ended(.succeeded), .reached(.streamCreated), .reached(.playStarted), .reached(.firstFrame),
            .played(.firstFrame),
        ])
        let afterConnect = wire.events.drop { $0 != .ended(.succeeded) }
        #expect(afterConnect.contains(.wrote(first: UInt8(ascii: "P"))), "createStream and play go out as POSTs")
        #expect(afterConnect.last == .played(.firstFrame))
        #expect(wire.events.suffix(2) == [.cancelled(.poll), .played(.firstFrame)], "no more polls after the picture")
    }

    @Test func aServerWithoutTheStreamEndsThePlayWithItsAnswer() {
        let wire = AttemptWire(behavior: .accept)
        wire.playing = "missing"
        wire.run()
        #expect(wire.milestones.suffix(3) == [.ended(.succeeded), .reached(.streamCreated), .played(.failed(description: "No such stream"))])
    }

    @Test func aCloseWhilePlayingIsAPlayFailureNotAnAttemptFailure() {
        let wire = AttemptWire(behavior: .accept)
        wire.run()
        // Connected and not yet playing: ask for a stream the server will never answer, then close.
        wire.driver.play("stream", on: wire)
        wire.driver.peerClosed(on: wire)
        #expect(wire.milestones.suffix(2) == [.ended(.succeeded), .played(.failed(description: "the server closed the connection before the first frame"))])
        #expect(wire.milestones.filter { if case .ended = $0 { true } else { false } }.count == 1, "one attempt end")
    }

    @Test func aStreamThatGoesOnKeepsTheTunnelPollingAndReportsItsLossOnce() {
        let wire = AttemptWire(behavior: .accept, tunneled: true, media: Self.media)
        wire.playing = "stream"
        wire.streams = true
        wire.run()
        #expect(wire.milestones.last == .played(.firstFrame))
        let afterFrame = wire.events.drop { $0 != .played(.firstFrame) }
        #expect(afterFrame.contains(.wrote(first: UInt8(ascii: "P"))), "the tunnel polls on for the stream")
        #expect(!afterFrame.contains(.cancelled(.poll)))
        #expect(!wire.driver.hasEnded)
        wire.driver.peerClosed(on: wire)
        wire.driver.peerClosed(on: wire)
        #expect(wire.milestones.suffix(1) == [.streamEnded("the server closed the connection")])
        #expect(wire.events.filter { if case .streamEnded = $0 { true } else { false } }.count == 1)
        #expect(wire.driver.hasEnded)
    }

    @Test func playingAnAttemptThatDidNotWinTraps() async {
        await #expect(processExitsWith: .failure) {
            let wire = AttemptWire(behavior: .reject(description: "No entry."))
            wire.run()
            wire.driver.play("stream", on: wire)
        }
    }
}
