import RunCore

/// What one live connection attempt did: how it ended and when each phase was reached, and with a
/// stream to play (`LiveClientOptions.play`), how the play after the connect ended.
///
/// Times are offsets from the moment the attempt started (before the TCP connect), measured with the
/// real monotonic clock, so `connectResult` is the time to `NetConnection.Connect.Success` the design
/// defines, and `firstFrame` the time to first frame on the same clock.
package struct LiveConnectResult: Sendable, Equatable {
    /// How the attempt ended.
    package enum Outcome: Sendable, Equatable {
        /// The attempt's end as RunCore's `AttemptDriver` and the socket mapping report it, the same
        /// values the live player's attempts end with: connected (`_result` with
        /// `NetConnection.Connect.Success`), a 302 redirect to another URL (`ex.redirect`), or a failure
        /// (RST, unreachable, the connect timeout, a rejection, the server closing, broken protocol, an
        /// RTMPT proxy's error).
        case ended(AttemptEnd)
        /// Nothing conclusive happened before the caller's timeout.
        case timeout
        /// A local failure (socket error) that is none of the above.
        case failed(String)
    }

    /// How the play after a successful connect ended. The connect's own ``outcome`` stays
    /// `.ended(.succeeded)` whatever the play does: the time to connect was measured all the same.
    package enum PlayOutcome: Sendable, Equatable {
        /// The first video keyframe picture arrived.
        case firstFrame
        /// No picture will come: the session's reason (the server's `NetStream.Play.StreamNotFound`
        /// description, `createStream` refused, the server closed the connection, …), or a socket
        /// error's reason words.
        case failed(String)
        /// The caller's timeout came first.
        case timeout
    }

    /// The URL as the caller gave it.
    package var url: String
    package var outcome: Outcome
    /// TCP established (for rtmpt too: the tunnel's TCP connection).
    package var tcpConnected: Duration?
    /// RTMPS only: the TLS handshake completed.
    package var tlsEstablished: Duration?
    /// RTMPT only: the `/open` request was answered with a session id.
    package var tunnelOpened: Duration?
    /// S0+S1+S2 received and C2 sent.
    package var handshakeDone: Duration?
    /// The connect command's answer arrived (success or not).
    package var connectResult: Duration?
    /// When the attempt ended, whatever the outcome.
    package var elapsed: Duration
    /// Whether the server's digest handshake verified (nil when the handshake did not finish).
    package var serverDigestVerified: Bool?
    /// The stream asked for after the connect; nil: the attempt was to end at the connect's answer.
    package var stream: String?
    /// `createStream` was answered with a stream id, and `play` sent on it.
    package var streamCreated: Duration?
    /// `NetStream.Play.Start` arrived.
    package var playStarted: Duration?
    /// The first video keyframe picture arrived: the time to first frame.
    package var firstFrame: Duration?
    /// How the play ended; nil when no stream was asked or the connect did not succeed.
    package var play: PlayOutcome?

    package init(
        url: String, outcome: Outcome, tcpConnected: Duration? = nil, tunnelOpened: Duration? = nil,
        handshakeDone: Duration? = nil, connectResult: Duration? = nil, elapsed: Duration,
        serverDigestVerified: Bool? = nil, stream: String? = nil, streamCreated: Duration? = nil,
        playStarted: Duration? = nil, firstFrame: Duration? = nil, play: PlayOutcome? = nil
    ) {
        self.url = url
        self.outcome = outcome
        self.tcpConnected = tcpConnected
        self.tunnelOpened = tunnelOpened
        self.handshakeDone = handshakeDone
        self.connectResult = connectResult
        self.elapsed = elapsed
        self.serverDigestVerified = serverDigestVerified
        self.stream = stream
        self.streamCreated = streamCreated
        self.playStarted = playStarted
        self.firstFrame = firstFrame
        self.play = play
    }

    /// The connect succeeded (`NetConnection.Connect.Success`), whatever a play after it did.
    package var succeeded: Bool { outcome == .ended(.succeeded) }

    /// The attempt did what it was asked: it connected, and when a stream was asked, that stream's
    /// first frame arrived. What the `connect` verb's exit status says.
    package var achieved: Bool { succeeded && (stream == nil || play == .firstFrame) }
}
