/// The steps of one attempt a runtime timestamps, from which reports show where the time went.
public enum AttemptPhase: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The TCP connection is established (for RTMPT through a proxy: to the proxy).
    case tcpConnected = "tcp-connected"
    /// RTMPT: the HTTP tunnel is open (`/open/1` answered with a session id).
    case tunnelOpened = "tunnel-opened"
    /// The RTMP handshake (C0–S2) is complete.
    case handshakeDone = "handshake-done"
    /// The answer to `connect` arrived (`_result`, `_error`, or a redirect).
    case connectResult = "connect-result"
    /// Only the winner of a player that plays (`client.play`), after connect: `createStream`
    /// answered and `play` sent.
    case streamCreated = "stream-created"
    /// `NetStream.Play.Start` arrived.
    case playStarted = "play-started"
    /// The first video keyframe picture arrived: what the user waits for.
    case firstFrame = "first-frame"
    /// Enhanced RTMP v2: the server asked this connection's player to reconnect (recorded whether
    /// or not the player follows it).
    case reconnectRequested = "reconnect-requested"
    /// The latest picture on a connection the player kept streaming (while it reconnects): a
    /// reconnect's media gap starts here. Unlike the others, it moves with every picture.
    case lastFrame = "last-frame"

    public var description: String { rawValue }
}
