import RTMP

/// How the live client connects: its time limit, handshake and what it says in `connect`.
public struct LiveClientOptions: Sendable {
    /// ffmpeg's flashVer when playing, the most common client in the wild.
    public static let defaultFlashVer = "LNX 9,0,124,2"

    /// The whole attempt, TCP connect included, ends as `timeout` after this long.
    public var timeout: Duration
    /// Flash Player 9 digest (as ffmpeg and Flash send) or the plain handshake (as librtmp).
    public var handshakeMode: HandshakeMode
    public var flashVer: String
    /// Expands into the handshake's random bytes.
    public var seed: UInt64

    public init(
        timeout: Duration = .seconds(5), handshakeMode: HandshakeMode = .digest,
        flashVer: String = LiveClientOptions.defaultFlashVer, seed: UInt64 = 1
    ) {
        self.timeout = timeout
        self.handshakeMode = handshakeMode
        self.flashVer = flashVer
        self.seed = seed
    }
}
