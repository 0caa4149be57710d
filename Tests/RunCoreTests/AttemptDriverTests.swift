import Connector
import RTMP
import Testing
import RunCore

/// The attempt driver against the real server session, on an in-memory wire: what it asks of its
/// runtime, in which order, for every way an attempt ends — the same on the simulated network, the
/// live one and the `connect` verb, which only carry these calls out.
@Suite struct AttemptDriverTests {
    @Test func anAcceptedConnectReachesEveryPhaseAndKeepsTheConnection() {
        let wire = AttemptWire(behavior: .accept)
        wire.run()
        #expect(wire.events.first == .wrote(first: 0x03), "C0 opens the stream")
        #expect(wire.milestones == [
            .reached(.handshakeDone), .digest(verified: true), .reached(.connectResult), .ended(.succeeded),
        ], "the winner's connection stays open: the player decides")
        #expect(wire.driver.hasEnded)
    }

    @Test func aPlainHandshakeIsNotVerified() {
        let wire = AttemptWire(behavior: .accept, digest: false)
        wire.run()
        #expect(wire.milestones.contains(.digest(verified: false)))
        #expect(wire.milestones.last == .ended(.succeeded))
    }

    /// Closing before reporting is the order the simulator's event queue, and so its reports, depend on.
    @Test func aRejectionClosesTheConnectionThenReportsTheServersText() {
        let wire = AttemptWire(behavior: .reject(description: "No entry."))
        wire.run()
        #expect(Array(wire.milestones.suffix(2)) == [.closed, .ended(.failed(.rejected("No entry.")))])
    }

    @Test func aRedirectClosesTheConnectionThenReportsTheURL() {
        let wire = AttemptWire(behavior: .redirect(url: "rtmp://edge.example.com/live"))
        wire.run()
        #expect(Array(wire.milestones.suffix(2)) == [.closed, .ended(.redirected(to: "rtmp://edge.example.com/live"))])
    }

    @Test func aServerThatClosesAfterTheHandshakeIsAClosedAttempt() {
        let wire = AttemptWire(behavior: .closeAfterHandshake)
        wire.run()
        // The wire does not pass the server's close on by itself: the runtime reports it.
        wire.driver.peerClosed(on: wire)
        #expect(wire.milestones == [.reached(.handshakeDone), .digest(verified: true), .closed, .ended(.failed(.closed))])
    }

    @Test func whatArrivesAfterTheEndIsIgnored() {
        let wire = AttemptWire(behavior: .reject(description: "No."))
        wire.run()
        let before = wire.events
        wire.driver.received([0x03, 0x00][...], on: wire)
        wire.driver.peerClosed(on: wire)
        wire.driver.fail(.refused, on: wire)
        #expect(wire.events == before)
    }

    @Test func aCancelledAttemptClosesQuietly() {
        let wire = AttemptWire(behavior: .silent)
        wire.run()
        #expect(!wire.driver.hasEnded, "a silent server never answers connect")
        wire.driver.cancel(on: wire)
        #expect(wire.events.last == .closed)
        #expect(!wire.events.contains { if case .ended = $0 { true } else { false } }, "a cancel is not an end")
        wire.driver.peerClosed(on: wire)
        #expect(wire.events.last == .closed)
    }

    @Test func aFailureBelowTheStreamEndsTheAttemptOnce() {
        let wire = AttemptWire()
        wire.driver.fail(.refused, on: wire)
        wire.driver.fail(.osTimeout, on: wire)
        #expect(wire.events == [.closed, .ended(.failed(.refused))])
    }

    @Test func aServerThatSpeaksFirstIsAProtocolError() throws {
        let wire = AttemptWire()
        wire.driver.received([0x03][...], on: wire)
        let end = try #require(wire.events.last)
        guard case .ended(.failed(.protocolError)) = end else {
            Issue.record("expected a protocol error, got \(end)")
            return
        }
    }

    // MARK: Through the tunnel

    @Test func throughTheTunnelTheSessionStartsWhenTheTunnelOpens() {
        let wire = AttemptWire(behavior: .accept, tunneled: true)
        wire.run()
        #expect(wire.events.first == .wrote(first: UInt8(ascii: "P")), "POST /open/1 before any RTMP byte")
        #expect(wire.milestones == [
            .reached(.tunnelOpened), .reached(.handshakeDone), .digest(verified: true), .reached(.connectResult),
            .ended(.succeeded),
        ])
        #expect(Array(wire.events.suffix(2)) == [.cancelled(.poll), .ended(.succeeded)], "no more polls after the answer")
    }

    @Test func throughTheTunnelARejectionIsTheSameFailure() {
        let wire = AttemptWire(behavior: .reject(description: "No entry."), tunneled: true)
        wire.run()
        #expect(Array(wire.milestones.suffix(2)) == [.closed, .ended(.failed(.rejected("No entry.")))])
    }

    @Test func aProxysErrorStatusIsAProxyError() {
        let wire = AttemptWire(tunneled: true)
        wire.driver.connected(on: wire)
        let reply = Array("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".utf8)
        wire.driver.received(reply[...], on: wire)
        #expect(Array(wire.milestones.suffix(2)) == [.closed, .ended(.failed(.proxyError("HTTP 403 Forbidden")))])
    }

    /// The `connect` verb asks at the answer; the request still in flight is answered first.
    @Test func theConnectVerbSaysGoodbyeThroughTheTunnel() throws {
        let wire = AttemptWire(behavior: .accept, tunneled: true)
        wire.goodbye = true
        wire.run()
        let end = try #require(wire.events.firstIndex(of: .ended(.succeeded)))
        #expect(wire.events[(end + 1)...].contains(.wrote(first: UInt8(ascii: "P"))), "POST /close")
        #expect(wire.events.last == .closed, "closed once the server answered /close")
        #expect(wire.server.openTunnelSessions == 0, "the server dropped the tunnel session at /close")
    }

    @Test func withoutATunnelThereIsNoGoodbye() {
        let wire = AttemptWire(behavior: .accept)
        wire.run()
        #expect(!wire.driver.closeTunnel(on: wire))
    }

    // MARK: Impossible inputs

    @Test func theStreamCannotOpenTwice() async {
        await #expect(processExitsWith: .failure) {
            let wire = AttemptWire()
            wire.driver.connected(on: wire)
            wire.driver.connected(on: wire)
        }
    }

    @Test func aTunnelTimerCannotFireBeforeTheStreamOpened() async {
        await #expect(processExitsWith: .failure) {
            let wire = AttemptWire(tunneled: true)
            wire.driver.timerFired(.poll, on: wire)
        }
    }

    @Test func aPlainAttemptHasNoTunnelTimer() async {
        await #expect(processExitsWith: .failure) {
            let wire = AttemptWire()
            wire.driver.connected(on: wire)
            wire.driver.timerFired(.poll, on: wire)
        }
    }
}
