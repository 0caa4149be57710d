import RTMP

/// Where the live server listens and how its sessions answer.
package struct LiveServerConfiguration: Sendable {
    /// Each address is bound separately and answers both RTMP and RTMPT (and RTMPS with `tls`).
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
    /// The certificate and key RTMPS is terminated with, on every address: a TLS ClientHello is then
    /// served like RTMP and RTMPT are. nil: no TLS, and a ClientHello is refused (closed), as a
    /// server without TLS on that port would.
    package var tls: TLSIdentity?

    package init(
        listen: [ListenAddress], session: RTMPServerSession.Configuration = .init(), seed: UInt64 = 1,
        inactivityTimeout: Duration? = .seconds(60), tls: TLSIdentity? = nil
    ) {
        self.tls = tls
        self.listen = listen
        self.session = session
        self.seed = seed
        self.inactivityTimeout = inactivityTimeout
    }
}
