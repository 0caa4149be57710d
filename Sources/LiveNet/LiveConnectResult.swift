import RunCore

/// What one live connection attempt did: how it ended and when each phase was reached.
///
/// Times are offsets from the moment the attempt started (before the TCP connect), measured with the
/// real monotonic clock, so `connectResult` is the time to `NetConnection.Connect.Success` the design
/// defines.
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

    /// The URL as the caller gave it.
    package var url: String
    package var outcome: Outcome
    /// TCP established (for rtmpt too: the tunnel's TCP connection).
    package var tcpConnected: Duration?
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

    package init(
        url: String, outcome: Outcome, tcpConnected: Duration? = nil, tunnelOpened: Duration? = nil,
        handshakeDone: Duration? = nil, connectResult: Duration? = nil, elapsed: Duration,
        serverDigestVerified: Bool? = nil
    ) {
        self.url = url
        self.outcome = outcome
        self.tcpConnected = tcpConnected
        self.tunnelOpened = tunnelOpened
        self.handshakeDone = handshakeDone
        self.connectResult = connectResult
        self.elapsed = elapsed
        self.serverDigestVerified = serverDigestVerified
    }

    package var succeeded: Bool { outcome == .ended(.succeeded) }
}
