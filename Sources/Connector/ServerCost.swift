/// What a run cost the server: the thundering-herd question of parallel and staggered policies.
public struct ServerCost: Sendable, Hashable {
    /// TCP connections (or RTMPT sessions) the server accepted.
    public var connectionsAccepted: Int
    /// RTMP handshakes the server completed.
    public var handshakesCompleted: Int
    /// Accepted connections that did not become the connection in use.
    public var wastedConnections: Int

    public init(connectionsAccepted: Int = 0, handshakesCompleted: Int = 0, wastedConnections: Int = 0) {
        self.connectionsAccepted = connectionsAccepted
        self.handshakesCompleted = handshakesCompleted
        self.wastedConnections = wastedConnections
    }
}
