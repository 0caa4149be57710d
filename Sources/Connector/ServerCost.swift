/// What a run cost the server: the thundering-herd question of parallel and staggered policies.
public struct ServerCost: Sendable, Hashable, Codable {
    /// TCP connections (or RTMPT sessions) the server accepted.
    public var connectionsAccepted: Int
    /// RTMP handshakes the server completed.
    public var handshakesCompleted: Int
    /// Accepted connections that did not become the connection in use.
    public var wastedConnections: Int
    /// The most TCP connections open at the server at the same instant, or `nil` where the runtime
    /// does not observe it. A herd after an outage is sized by this, not by the total: a parallel
    /// policy multiplies it by the attempts each client keeps in flight.
    public var peakConnections: Int?
    /// The most RTMP handshakes in progress at the server at the same instant (started, not yet
    /// completed), or `nil` where the runtime does not observe it.
    public var peakHandshakes: Int?

    public init(
        connectionsAccepted: Int = 0, handshakesCompleted: Int = 0, wastedConnections: Int = 0,
        peakConnections: Int? = nil, peakHandshakes: Int? = nil
    ) {
        self.connectionsAccepted = connectionsAccepted
        self.handshakesCompleted = handshakesCompleted
        self.wastedConnections = wastedConnections
        self.peakConnections = peakConnections
        self.peakHandshakes = peakHandshakes
    }
}
