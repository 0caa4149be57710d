/// What serving cost so far: the server-side counts of the design's "cost".
package struct LiveServerStatistics: Sendable, Equatable {
    /// TCP connections accepted (RTMPT's HTTP connections included).
    package var connectionsAccepted = 0
    /// RTMP handshakes completed, over TCP or through a tunnel.
    package var handshakesCompleted = 0
    /// `connect` commands received.
    package var connectsReceived = 0
    /// Audio and video messages publishers sent, and their payload bytes (FLV tag bodies).
    package var mediaMessagesReceived = 0
    package var mediaBytesReceived = 0

    package init() {}
}
