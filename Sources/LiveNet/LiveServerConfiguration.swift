import RTMP

/// Where the live server listens and how its sessions answer.
package struct LiveServerConfiguration: Sendable {
    /// Each address is bound separately and answers both RTMP and RTMPT.
    package var listen: [ListenAddress]
    /// The behaviour (accept, reject, redirect, silent, close-after-handshake), think time and wire
    /// values of every server session, whichever transport it arrives on.
    package var session: RTMPServerSession.Configuration
    /// Expands into each connection's handshake bytes: the same seed serves the same bytes.
    package var seed: UInt64
    /// How long a connection may take to finish the RTMP handshake (or to send a first byte that
    /// names its protocol), and how long an RTMPT tunnel session may go without a request, before the
    /// server gives up on it; nil never gives up. 60 s is nginx-rtmp's default `timeout` for a
    /// silent socket. Without it, stalled and abandoned clients hold sockets and tunnel sessions for
    /// as long as a long-running `serve` lives.
    package var inactivityTimeout: Duration?

    package init(
        listen: [ListenAddress], session: RTMPServerSession.Configuration = .init(), seed: UInt64 = 1,
        inactivityTimeout: Duration? = .seconds(60)
    ) {
        self.listen = listen
        self.session = session
        self.seed = seed
        self.inactivityTimeout = inactivityTimeout
    }
}
