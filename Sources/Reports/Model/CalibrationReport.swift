/// `calibrate`'s results in the Reports module's own vocabulary: each scenario × policy simulated
/// and live side by side, the difference, the tolerance and the verdict, and the runs left out.
///
/// The Lab fills it from its `Calibration`; the verdicts are the Lab's (the writers never judge),
/// so the HTML and CSV say exactly what the terminal table says.
public struct CalibrationReport: Sendable {
    /// One side of a row: the outcome, when the connector decided, and the winner.
    public struct Side: Sendable, Hashable {
        public var connected: Bool
        /// Time to connect, or to fail.
        public var time: Duration
        /// `scheme:port`, when connected.
        public var winner: String?

        public init(connected: Bool, time: Duration, winner: String? = nil) {
            self.connected = connected
            self.time = time
            self.winner = winner
        }
    }

    /// One scenario × policy, simulated and live with the same seed.
    public struct Row: Sendable {
        public var scenario: String
        public var policy: String
        public var seed: UInt64
        public var simulated: Side
        /// The live side; `nil` when the live run produced no result (`liveError` says why).
        public var live: Side?
        public var liveError: String?
        /// Live minus simulated time, when both ended.
        public var difference: Duration?
        /// max(15 ms, 10 % of the simulated time).
        public var tolerance: Duration
        /// The processing baseline once per live handshake, allowed on top of the tolerance.
        public var allowance: Duration
        /// The processing baseline measured just before this row.
        public var baseline: Duration
        /// Why the sides disagree; `nil` when they agree.
        public var disagreement: String?

        public var agrees: Bool { disagreement == nil }

        public init(
            scenario: String, policy: String, seed: UInt64, simulated: Side, live: Side?, liveError: String? = nil,
            difference: Duration?, tolerance: Duration, allowance: Duration, baseline: Duration, disagreement: String?
        ) {
            self.scenario = scenario
            self.policy = policy
            self.seed = seed
            self.simulated = simulated
            self.live = live
            self.liveError = liveError
            self.difference = difference
            self.tolerance = tolerance
            self.allowance = allowance
            self.baseline = baseline
            self.disagreement = disagreement
        }
    }

    /// A scenario × policy not run live, and why.
    public struct Skipped: Sendable, Hashable {
        public var scenario: String
        public var policy: String
        public var reason: String

        public init(scenario: String, policy: String, reason: String) {
            self.scenario = scenario
            self.policy = policy
            self.reason = reason
        }
    }

    public var rows: [Row]
    public var skipped: [Skipped]
    /// The processing baseline measured before the first row.
    public var baseline: Duration

    public init(rows: [Row], skipped: [Skipped], baseline: Duration) {
        self.rows = rows
        self.skipped = skipped
        self.baseline = baseline
    }
}
