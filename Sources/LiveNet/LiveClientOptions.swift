import RTMP

/// How the live client connects: its time limit, handshake, what it says in `connect`, and what it
/// plays after.
package struct LiveClientOptions: Sendable {
    /// ffmpeg's flashVer when playing, the most common client in the wild.
    package static let defaultFlashVer = "LNX 9,0,124,2"

    /// The whole attempt, TCP connect included (and the play, when there is one), ends as `timeout`
    /// after this long.
    package var timeout: Duration
    /// Flash Player 9 digest (as ffmpeg and Flash send) or the plain handshake (as librtmp).
    package var handshakeMode: HandshakeMode
    package var flashVer: String
    /// Expands into the handshake's random bytes.
    package var seed: UInt64
    /// The stream played after a successful connect, to its first frame (`connect --play`): what a
    /// user waits for is a picture, not `NetConnection.Connect.Success`. Nil: the attempt ends at the
    /// connect's answer.
    package var play: String?
    /// rtmps://: whom to trust (the system's store unless told otherwise, as a player would).
    package var trust: TLSClientTrust

    package init(
        timeout: Duration = .seconds(5), handshakeMode: HandshakeMode = .digest,
        flashVer: String = LiveClientOptions.defaultFlashVer, seed: UInt64 = 1, play: String? = nil,
        trust: TLSClientTrust = .system
    ) {
        self.trust = trust
        self.timeout = timeout
        self.handshakeMode = handshakeMode
        self.flashVer = flashVer
        self.seed = seed
        self.play = play
    }
}
