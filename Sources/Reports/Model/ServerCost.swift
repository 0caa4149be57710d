/// What a run cost the server: the price of racing attempts in parallel.
public struct ServerCost: Sendable {
    /// TCP connections the server accepted.
    public var connectionsAccepted: Int
    /// RTMP handshakes the server completed.
    public var handshakesCompleted: Int
    /// Connections the server accepted that did not become the player's connection.
    public var wastedConnections: Int

    public init(connectionsAccepted: Int, handshakesCompleted: Int, wastedConnections: Int) {
        self.connectionsAccepted = connectionsAccepted
        self.handshakesCompleted = handshakesCompleted
        self.wastedConnections = wastedConnections
    }
}
