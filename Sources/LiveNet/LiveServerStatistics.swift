/// What serving cost so far: the server-side counts of the design's "cost".
public struct LiveServerStatistics: Sendable, Equatable {
    /// TCP connections accepted (RTMPT's HTTP connections included).
    public var connectionsAccepted = 0
    /// RTMP handshakes completed, over TCP or through a tunnel.
    public var handshakesCompleted = 0
    /// `connect` commands received.
    public var connectsReceived = 0

    public init() {}
}
