/// A connection attempt of an external client that never reached anything: its socket sat in
/// `SYN_SENT` towards a silently dropped port. Seen by polling the kernel's socket table (every few
/// milliseconds), so the times are first and last sightings, not packet times; the SYN
/// retransmissions inside it are not seen without a capture.
package struct ExternalClientUnansweredAttempt: Sendable, Hashable, Codable {
    /// The scenario port the client tried.
    package var port: UInt16
    /// The client's local port: one per attempt.
    package var localPort: Int
    package var firstSeen: Duration
    package var lastSeen: Duration
    /// The socket left `SYN_SENT` while the client still ran (its own connect timeout, or it closed
    /// the socket); false when it was still waiting when the client ended.
    package var abandoned: Bool

    package init(port: UInt16, localPort: Int, firstSeen: Duration, lastSeen: Duration, abandoned: Bool) {
        self.port = port
        self.localPort = localPort
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.abandoned = abandoned
    }
}
