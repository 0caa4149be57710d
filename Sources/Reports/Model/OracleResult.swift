/// The fastest a single candidate started at t = 0 could have connected; a policy's regret is its
/// time to connect minus this.
package struct OracleResult: Sendable {
    /// The candidate that would have connected fastest, as `scheme:port`.
    package var candidate: String
    /// Its time to connect.
    package var timeToConnect: Duration

    package init(candidate: String, timeToConnect: Duration) {
        self.candidate = candidate
        self.timeToConnect = timeToConnect
    }
}
