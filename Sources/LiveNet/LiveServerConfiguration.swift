import RTMP

/// Where the live server listens and how its sessions answer.
public struct LiveServerConfiguration: Sendable {
    /// Each address is bound separately and answers both RTMP and RTMPT.
    public var listen: [ListenAddress]
    /// The behaviour (accept, reject, redirect, silent, close-after-handshake), think time and wire
    /// values of every server session, whichever transport it arrives on.
    public var session: RTMPServerSession.Configuration
    /// Expands into each connection's handshake bytes: the same seed serves the same bytes.
    public var seed: UInt64

    public init(
        listen: [ListenAddress], session: RTMPServerSession.Configuration = .init(), seed: UInt64 = 1
    ) {
        self.listen = listen
        self.session = session
        self.seed = seed
    }
}
