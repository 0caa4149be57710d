import Connector
import RTMP

/// What a network gives one attempt's ``AttemptDriver``: a connection to write to and close, the
/// RTMPT tunnel's poll timer, and someone to tell of phases and of the end. The simulated attempt
/// (virtual TCP, TLS model), the live one (a NIO channel) and the `connect` verb's handler implement
/// only these; what the session and the tunnel's actions mean, and in which order they are carried
/// out, is the driver's, once.
package protocol AttemptRuntime: AnyObject {
    /// Bytes for the connection, already framed for the tunnel when there is one. Never empty.
    func write(_ bytes: [UInt8])
    /// Arm the tunnel's timer (replacing an armed one of the same name); it comes back as
    /// ``AttemptDriver/timerFired(_:on:)``.
    func scheduleTunnelTimer(_ timer: RTMPTClientTunnel.Timer, after delay: Duration)
    /// Disarm the tunnel's timer; nothing if it is not armed.
    func cancelTunnelTimer(_ timer: RTMPTClientTunnel.Timer)
    /// Close the connection, quietly: the driver has said (or will say) how the attempt ended.
    func closeConnection()
    /// A phase of the attempt's timeline was reached now. (`tcpConnected` is the runtime's own: the
    /// driver starts above the connection.)
    func reach(_ phase: AttemptPhase)
    /// Whether the server's handshake digest verified (the `connect` verb prints it; runs do not).
    func serverDigest(verified: Bool)
    /// The attempt ended, once: its timers are cancelled, and the connection is closed unless it won.
    func attemptEnded(_ end: AttemptEnd)
    /// The winner's play (``AttemptDriver/play(_:on:)``) is decided, once: the first frame came, or
    /// why none will. The connection stays open; the player ends the attempt.
    func playEnded(_ outcome: RTMPClientSession.PlayOutcome)
    /// The server asked this connection to move (Enhanced RTMP v2), to `tcUrl` (nil: the same URL).
    func reconnectRequested(tcUrl: String?)
    /// A connection that streamed on after its first frame is lost (closed, reset, broken), once.
    func streamEnded(_ reason: String)
}

extension AttemptRuntime {
    package func serverDigest(verified: Bool) {}
}
