/// The fastest a single candidate started at t = 0 could have connected; a policy's regret is its
/// time to connect minus this. Also the `oracle` of a `records.jsonl` line, as its `Codable`
/// conformance reads it back.
package struct OracleResult: Sendable, Codable, Equatable {
    /// The candidate that would have connected fastest, as `scheme:port`.
    package var candidate: String
    /// Its time to connect.
    package var timeToConnect: Duration

    package init(candidate: String, timeToConnect: Duration) {
        self.candidate = candidate
        self.timeToConnect = timeToConnect
    }
}
