import Connector
import RTMP

/// One attempt's protocol stack on every network: an `RTMPClientSession`, through an
/// `RTMPTClientTunnel` for the RTMPT schemes, from the moment the byte stream to the server is open to
/// the connect's answer, and for a winner the player plays on, on to the first frame. It carries out the session's and the tunnel's actions on an
/// ``AttemptRuntime`` and maps their ends to the connector's three answers (``AttemptEnd``).
///
/// Written once for the simulated run, the live run and the `connect` verb (before issue 12 three
/// copies, which had drifted: "RTMPT: …" simulated and "rtmpt: …" live, the tunnel's timer applied
/// before or after the bytes it delivered). The order is the simulator's, which the reports' bytes
/// depend on: for a tunnel action, write, then the timer, then the event, then the delivered bytes —
/// the timer before the delivery because delivering may make the session write, and the tunnel's
/// timer change for that write must win over the one for the reply.
///
/// What is below the stream is the runtime's: the TCP connection (whose `tcpConnected` it records
/// itself), the simulator's TLS model for rtmps, the live run's emulated round trip.
///
/// A class, not a struct: the runtime's reports go to the player, which may end this very attempt
/// (a winner measured, a loser cancelled) while the driver is still carrying out the action.
package final class AttemptDriver {
    private enum State: Equatable {
        /// Waiting for the byte stream to the server (TCP, or TLS over it).
        case awaitingStream
        /// RTMPT: `/open/1` sent; the session starts when the tunnel opens.
        case openingTunnel
        /// The session runs (directly on the stream, or in the open tunnel) until it has its answer.
        case running
        /// `connect` succeeded and the connection stays open for the player, who plays on it or
        /// ends it (at once, unless it plays). What arrives meanwhile is ignored, as after an end.
        case connected
        /// The player asked for a stream: the session and the tunnel run again until the first
        /// frame, or until the play fails; then, when `thenStreams`, on (``streaming``).
        case playing(thenStreams: Bool)
        /// After the first frame, the stream goes on for the player (which measures a reconnect):
        /// every picture, a reconnect request and the connection's loss are reported.
        case streaming
        /// The `connect` verb's goodbye after the answer: `/close` posted, waiting for its reply.
        case closingTunnel
        /// The attempt ended or was cancelled: later events are the network's leftovers, ignored.
        case ended
    }

    private var state = State.awaitingStream
    private var session: RTMPClientSession
    /// The tunnel for the RTMPT schemes; nil when the session runs on the stream itself.
    private var tunnel: RTMPTClientTunnel?

    package init(session: RTMPClientSession.Configuration, tunnel: RTMPTClientTunnel.Configuration?, seed: UInt64) {
        self.session = RTMPClientSession(configuration: session, seed: seed)
        self.tunnel = tunnel.map(RTMPTClientTunnel.init(configuration:))
    }

    /// A scenario player's attempt at `candidate`: its `connect` says what ``PlayerIdentity`` says
    /// (and, for a policy that follows reconnect requests, Enhanced RTMP's `capsEx` 1); the RTMPT
    /// schemes tunnel, through the player's HTTP proxy when it has one (Flash Player sent RTMPT
    /// through the browser's proxy).
    package convenience init(candidate: Candidate, viaProxy: Bool, seed: UInt64, advertisesReconnect: Bool = false) {
        let session = RTMPClientSession.Configuration(
            app: candidate.application, tcUrl: candidate.url, flashVer: PlayerIdentity.flashVer,
            capsEx: advertisesReconnect ? Self.reconnectCapability : nil)
        let tunnel: RTMPTClientTunnel.Configuration?
        switch candidate.scheme {
        case .rtmpt, .rtmpte, .rtmpts:
            tunnel = .init(host: candidate.host, port: candidate.port, viaProxy: viaProxy)
        case .rtmp, .rtmpe, .rtmps:
            tunnel = nil
        }
        self.init(session: session, tunnel: tunnel, seed: seed)
    }

    /// Enhanced RTMP's `capsEx` bit for "Reconnect" (`CapsExMask.Reconnect`).
    static let reconnectCapability: Double = 1

    /// Whether the attempt has ended (or was cancelled): the runtime drops what still arrives below
    /// the stream (TLS records, a late connect) as the driver drops what arrives above it.
    package var hasEnded: Bool {
        switch state {
        case .ended, .closingTunnel, .connected: true
        case .awaitingStream, .openingTunnel, .running, .playing, .streaming: false
        }
    }

    // MARK: Events

    /// The byte stream to the server is open: open the tunnel, or start the session.
    package func connected(on runtime: some AttemptRuntime) {
        switch state {
        case .awaitingStream:
            if tunnel != nil {
                state = .openingTunnel
                apply(tunnel!.start(), on: runtime)
            } else {
                state = .running
                run(session.start(), on: runtime)
            }
        case .ended:
            return
        case .openingTunnel, .running, .connected, .playing, .streaming, .closingTunnel:
            preconditionFailure("AttemptDriver: the stream opened twice, in \(state)")
        }
    }

    /// Bytes from the server's side of the stream. Before the stream opened (a server that speaks
    /// first) they go to the session or tunnel all the same, which call that a protocol error.
    package func received(_ bytes: ArraySlice<UInt8>, on runtime: some AttemptRuntime) {
        switch state {
        case .awaitingStream, .openingTunnel, .running, .playing, .streaming, .closingTunnel:
            if tunnel != nil {
                apply(tunnel!.received(bytes), on: runtime)
            } else {
                run(session.received(bytes), on: runtime)
            }
        case .connected, .ended:
            return
        }
    }

    /// The peer closed the connection. The session hears of it first: a server that closes after
    /// `_error` has already given its answer.
    package func peerClosed(on runtime: some AttemptRuntime) {
        switch state {
        case .awaitingStream, .openingTunnel, .running, .playing:
            run(session.closed(), on: runtime)
        case .streaming:
            streamEnded(Self.connectionClosed, on: runtime)
        case .closingTunnel:
            state = .ended
        case .connected, .ended:
            return
        }
    }

    /// The tunnel's timer fired.
    package func timerFired(_ timer: RTMPTClientTunnel.Timer, on runtime: some AttemptRuntime) {
        switch state {
        case .openingTunnel, .running, .playing, .streaming, .closingTunnel:
            guard tunnel != nil else {
                preconditionFailure("AttemptDriver: tunnel timer \(timer) without a tunnel, in \(state)")
            }
            apply(tunnel!.timerFired(timer), on: runtime)
        case .connected, .ended:
            return
        case .awaitingStream:
            preconditionFailure("AttemptDriver: tunnel timer \(timer) before the stream opened")
        }
    }

    /// Below the stream, the attempt failed (the TCP connect, a socket error, the TLS model).
    package func fail(_ failure: AttemptFailure, on runtime: some AttemptRuntime) {
        switch state {
        case .awaitingStream, .openingTunnel, .running:
            end(.failed(failure), on: runtime)
        case .playing:
            playEnded(.failed(description: "\(failure)"), on: runtime)
        case .streaming:
            streamEnded("\(failure)", on: runtime)
        case .connected, .closingTunnel, .ended:
            return
        }
    }

    /// The player plays `streamName` on this attempt, which won: the session asks for the stream
    /// (through the tunnel, which polls again for the answers) and reports the first frame, or why
    /// none came, with ``AttemptRuntime/playEnded(_:)``. With `thenStreams` the stream goes on after
    /// the first frame until the player ends the attempt: pictures as the `lastFrame` phase, a
    /// reconnect request, and the loss of the connection (``AttemptRuntime/streamEnded(_:)``).
    package func play(_ streamName: String, thenStreams: Bool = false, on runtime: some AttemptRuntime) {
        switch state {
        case .connected:
            state = .playing(thenStreams: thenStreams)
            run(session.play(streamName), on: runtime)
        case .awaitingStream, .openingTunnel, .running, .playing, .streaming, .closingTunnel, .ended:
            preconditionFailure("AttemptDriver: play(\(streamName)) in \(state)")
        }
    }

    /// The player no longer wants the attempt (a loser, a timeout), or the run is over: close quietly.
    package func cancel(on runtime: some AttemptRuntime) {
        state = .ended
        if tunnel != nil { runtime.cancelTunnelTimer(.poll) }
        runtime.closeConnection()
    }

    /// After the answer, say goodbye through the tunnel (`/close`, so the server drops its tunnel
    /// session at once) and close the connection when it is answered. Returns false when there is no
    /// tunnel to close; the runtime closes the connection itself.
    package func closeTunnel(on runtime: some AttemptRuntime) -> Bool {
        switch state {
        case .connected, .ended:
            guard tunnel != nil else { return false }
            state = .closingTunnel
            apply(tunnel!.close(), on: runtime)
            return true
        case .awaitingStream, .openingTunnel, .running, .playing, .streaming, .closingTunnel:
            preconditionFailure("AttemptDriver: closing the tunnel before the answer, in \(state)")
        }
    }

    // MARK: Carrying out actions

    private func apply(_ action: RTMPTClientTunnel.Action, on runtime: some AttemptRuntime) {
        guard state != .ended, state != .connected else { return }
        switch action {
        case .wait:
            return
        case .write(let bytes, let cancelPoll):
            carry(.write(bytes, cancelPoll: cancelPoll), on: runtime)
        case .schedulePoll(let delay):
            carry(.schedulePoll(after: delay), on: runtime)
        case .opened(_, let next):
            carry(next, on: runtime)
            // Closing already: the session is done, whatever the tunnel says now.
            guard state != .closingTunnel else { return }
            runtime.reach(.tunnelOpened)
            state = .running
            run(session.start(), on: runtime)
        case .deliver(let bytes, let next):
            carry(next, on: runtime)
            guard state != .closingTunnel, state != .ended, state != .connected else { return }
            run(session.received(bytes[...]), on: runtime)
        case .closed(_, let cancelPoll):
            if cancelPoll { runtime.cancelTunnelTimer(.poll) }
            if tunnelClosedWhileClosing(on: runtime) { return }
            if case .playing = state { return playEnded(.failed(description: Self.tunnelClosed), on: runtime) }
            if state == .streaming { return streamEnded(Self.tunnelClosed, on: runtime) }
            end(.failed(.closed), on: runtime)
        case .failed(let error, let cancelPoll):
            if cancelPoll { runtime.cancelTunnelTimer(.poll) }
            if tunnelClosedWhileClosing(on: runtime) { return }
            if case .playing = state { return playEnded(.failed(description: "\(AttemptFailure(tunnel: error))"), on: runtime) }
            if state == .streaming { return streamEnded("\(AttemptFailure(tunnel: error))", on: runtime) }
            end(.failed(AttemptFailure(tunnel: error)), on: runtime)
        }
    }

    /// A reply's next request (written before its poll timer is cancelled, as ever) or next poll.
    private func carry(_ next: RTMPTClientTunnel.Next, on runtime: some AttemptRuntime) {
        switch next {
        case .write(let bytes, let cancelPoll):
            runtime.write(bytes)
            if cancelPoll { runtime.cancelTunnelTimer(.poll) }
        case .schedulePoll(let delay):
            runtime.scheduleTunnelTimer(.poll, after: delay)
        }
    }

    /// The tunnel's end after the attempt asked to close it: the connection closes, nothing else.
    private func tunnelClosedWhileClosing(on runtime: some AttemptRuntime) -> Bool {
        guard state == .closingTunnel else { return false }
        state = .ended
        runtime.cancelTunnelTimer(.poll)
        runtime.closeConnection()
        return true
    }

    static let tunnelClosed = "the server closed the tunnel"
    static let connectionClosed = "the server closed the connection"

    private func run(_ action: RTMPClientSession.Action, on runtime: some AttemptRuntime) {
        guard state != .ended, state != .connected else { return }
        switch action {
        case .wait:
            return
        case .send(let bytes, let reached):
            record(reached, on: runtime)
            write(bytes, on: runtime)
        case .finish(let outcome, let bytes, let reached):
            record(reached, on: runtime)
            write(bytes, on: runtime)
            switch outcome {
            case .success: end(.succeeded, on: runtime)
            case .rejected(let description): end(.failed(.rejected(description)), on: runtime)
            case .redirect(let url): end(.redirected(to: url), on: runtime)
            case .protocolError(let error): end(.failed(.protocolError("\(error)")), on: runtime)
            case .closedByPeer: end(.failed(.closed), on: runtime)
            }
        case .played(let outcome, let bytes, let reached):
            record(reached, on: runtime)
            write(bytes, on: runtime)
            playEnded(outcome, on: runtime)
        case .connectionError(let error):
            runtime.closeConnection()
            if state == .streaming { streamEnded("\(error)", on: runtime) }
        }
    }

    private func record(_ phases: [RTMPClientSession.Phase], on runtime: some AttemptRuntime) {
        for phase in phases {
            switch phase {
            case .handshakeDone(let verified):
                runtime.reach(.handshakeDone)
                runtime.serverDigest(verified: verified)
            case .result:
                runtime.reach(.connectResult)
            case .streamCreated:
                runtime.reach(.streamCreated)
            case .playStarted:
                runtime.reach(.playStarted)
            case .firstFrame:
                runtime.reach(.firstFrame)
            case .frame:
                runtime.reach(.lastFrame)
            case .reconnectRequested(let tcUrl):
                runtime.reach(.reconnectRequested)
                runtime.reconnectRequested(tcUrl: tcUrl)
            case .handshakeSent, .connectSent:
                break
            }
        }
    }

    /// The session's bytes, through the tunnel when there is one.
    private func write(_ bytes: [UInt8], on runtime: some AttemptRuntime) {
        guard !bytes.isEmpty else { return }
        if tunnel != nil {
            apply(tunnel!.send(bytes), on: runtime)
        } else {
            runtime.write(bytes)
        }
    }

    private func end(_ end: AttemptEnd, on runtime: some AttemptRuntime) {
        guard state != .ended, state != .connected else { return }
        if tunnel != nil { runtime.cancelTunnelTimer(.poll) }
        switch end {
        case .succeeded:
            state = .connected
        case .redirected, .failed:
            state = .ended
            runtime.closeConnection()
        }
        runtime.attemptEnded(end)
    }

    /// The play is decided: the connection stays open until the player ends the attempt, and goes
    /// on streaming (the tunnel polling) when the player asked for that and a picture came.
    private func playEnded(_ outcome: RTMPClientSession.PlayOutcome, on runtime: some AttemptRuntime) {
        guard case .playing(let thenStreams) = state else { return }
        if thenStreams, outcome == .firstFrame {
            state = .streaming
        } else {
            state = .connected
            if tunnel != nil { runtime.cancelTunnelTimer(.poll) }
        }
        runtime.playEnded(outcome)
    }

    /// The streaming connection is lost: reported once; the player ends the attempt.
    private func streamEnded(_ reason: String, on runtime: some AttemptRuntime) {
        guard state == .streaming else { return }
        state = .connected
        if tunnel != nil { runtime.cancelTunnelTimer(.poll) }
        runtime.streamEnded(reason)
    }
}
