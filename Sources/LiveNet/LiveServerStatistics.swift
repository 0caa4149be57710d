/// What serving cost so far: the server-side counts of the design's "cost".
package struct LiveServerStatistics: Sendable, Equatable {
    /// TCP connections accepted (RTMPT's HTTP connections included).
    package var connectionsAccepted = 0
    /// RTMP handshakes completed, over TCP or through a tunnel.
    package var handshakesCompleted = 0
    /// `connect` commands received.
    package var connectsReceived = 0

    package init() {}
}
