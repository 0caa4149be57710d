/// One scenario × policy run simulated and live, side by side.
public struct CalibrationRow: Sendable {
    /// What one side measured: the outcome, when the connector decided, and the winner.
    public struct Side: Sendable, Hashable {
        public var connected: Bool
        /// Time to connect, or to fail.
        public var time: Duration
        /// `scheme:port`, when connected.
        public var winner: String?
        /// RTMP handshakes the run completed (live side: each costs the machine's CPU time).
        public var handshakes: Int = 0
    }

    public var scenario: String
    public var policy: String
    public var seed: UInt64
    public var simulated: Side
    /// The live side, or why it produced no result.
    public var live: Result<Side, RunRecord.RunError>
    /// The machine's own time for one handshake and connect on loopback with no latency (the
    /// simulation models no CPU time); allowed once per live handshake on top of the tolerance.
    public var processingBaseline: Duration = .zero

    /// What the CPU time of the live handshakes may add.
    public var allowance: Duration {
        guard case .success(let live) = live else { return .zero }
        return processingBaseline * live.handshakes
    }

    /// The design's agreement bound: max(15 ms, 10 % of the simulated time).
    public var tolerance: Duration {
        max(.milliseconds(15), simulated.time / 10)
    }

    /// Live minus simulated time, when both ended.
    public var difference: Duration? {
        guard case .success(let live) = live else { return nil }
        return live.time - simulated.time
    }

    /// Why the two sides disagree; `nil` when they agree (same outcome, same winner, time within
    /// the tolerance).
    public var disagreement: String? {
        switch live {
        case .failure(let error):
            return "live run: \(error.description)"
        case .success(let live):
            if live.connected != simulated.connected {
                return "outcome \(live.connected ? "connected" : "failed") live, \(simulated.connected ? "connected" : "failed") simulated"
            }
            if live.winner != simulated.winner {
                return "winner \(live.winner ?? "none") live, \(simulated.winner ?? "none") simulated"
            }
            let difference = live.time - simulated.time
            let magnitude = difference < .zero ? .zero - difference : difference
            if magnitude > tolerance + allowance {
                return "time differs by \(DurationText.describe(difference)), beyond \(DurationText.describe(tolerance + allowance))"
            }
            return nil
        }
    }

    public var agrees: Bool { disagreement == nil }
}
