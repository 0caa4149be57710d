import RTMP

/// What a server gives one ``ServerSessionDriver``: where the session's bytes go, its think-time
/// timer, how its transport ends, and who hears what it observed. The simulated server (a TCP
/// connection, TLS inside the model, or a tunnel session) and the live one (a NIO channel or the
/// live tunnel) implement only these.
package protocol ServerSessionRuntime: AnyObject {
    /// Bytes for the client (never empty): onto the connection, or queued in the tunnel for the
    /// client's next request.
    func write(_ bytes: [UInt8])
    /// Arm the session's timer (replacing an armed one); it comes back as
    /// ``ServerSessionDriver/timerFired(_:on:)``.
    func scheduleSessionTimer(_ timer: RTMPServerSession.Timer, after delay: Duration)
    /// Disarm it; nothing if it is not armed.
    func cancelSessionTimer(_ timer: RTMPServerSession.Timer)
    /// The session is over and asked to close: close the connection, or the tunnel session (which
    /// tells the client with polling byte 0 rather than dropping a socket shared by others).
    func closeTransport()
    /// What the session saw, in order: the server's counters and logs.
    func observed(_ observation: RTMPServerSession.Observation)
}
