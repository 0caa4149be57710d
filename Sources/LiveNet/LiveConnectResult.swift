/// What one live connection attempt did: how it ended and when each phase was reached.
///
/// Times are offsets from the moment the attempt started (before the TCP connect), measured with the
/// real monotonic clock, so `connectResult` is the time to `NetConnection.Connect.Success` the design
/// defines.
package struct LiveConnectResult: Sendable, Equatable {
    /// How the attempt ended.
    package enum Outcome: Sendable, Equatable {
        /// `_result` with `NetConnection.Connect.Success`.
        case connected
        /// The TCP connect was answered with RST (ECONNREFUSED).
        case refused
        /// The network said the host cannot be reached (EHOSTUNREACH, ENETUNREACH).
        case unreachable
        /// Nothing conclusive happened before the caller's timeout.
        case timeout
        /// `_error` / `onStatus` with a rejection, and the server's description.
        case rejected(String)
        /// A 302 redirect to another URL (`ex.redirect`).
        case redirected(String)
        /// The server closed the connection before a result.
        case closed
        /// The server's bytes broke the protocol.
        case protocolError(String)
        /// RTMPT only: the HTTP side failed (a proxy's 400/403/502, an unexpected status).
        case proxyError(String)
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

    package var succeeded: Bool { outcome == .connected }
}
