/// `calibrate`'s results in the Reports module's own vocabulary: each scenario × policy simulated
/// and live side by side, the difference, the tolerance and the verdict, and the runs left out.
///
/// The Lab fills it from its `Calibration`; the verdicts are the Lab's (the writers never judge),
/// so the HTML and CSV say exactly what the terminal table says.
package struct CalibrationReport: Sendable {
    /// One side of a row: the outcome, when the connector decided, and the winner.
    package struct Side: Sendable, Hashable {
        package var connected: Bool
        /// Time to connect, or to fail.
        package var time: Duration
        /// `scheme:port`, when connected.
        package var winner: String?
        /// Time to the first frame, when the client plays and one came.
        package var firstFrame: Duration?

        package init(connected: Bool, time: Duration, winner: String? = nil, firstFrame: Duration? = nil) {
            self.connected = connected
            self.time = time
            self.winner = winner
            self.firstFrame = firstFrame
        }
    }

    /// One scenario × policy, simulated and live with the same seed.
    package struct Row: Sendable {
        package var scenario: String
        package var policy: String
        package var seed: UInt64
        package var simulated: Side
        /// The live side; `nil` when the live run produced no result (`liveError` says why).
        package var live: Side?
        package var liveError: String?
        /// Live minus simulated time, when both ended.
        package var difference: Duration?
        /// max(15 ms, 10 % of the simulated time).
        package var tolerance: Duration
        /// The processing baseline once per live handshake, allowed on top of the tolerance.
        package var allowance: Duration
        /// The processing baseline measured just before this row.
        package var baseline: Duration
        /// Why the sides disagree; `nil` when they agree.
        package var disagreement: String?

        package var agrees: Bool { disagreement == nil }

        package init(
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
    package struct Skipped: Sendable, Hashable {
        package var scenario: String
        package var policy: String
        package var reason: String

        package init(scenario: String, policy: String, reason: String) {
            self.scenario = scenario
            self.policy = policy
            self.reason = reason
        }
    }

    /// A lossy or jittery scenario × policy compared as distributions over N runs per side.
    package struct Distribution: Sendable, Hashable {
        package var scenario: String
        package var policy: String
        package var runs: Int
        /// Milliseconds.
        package var simulatedMedian: Double
        package var simulatedP90: Double
        package var liveMedian: Double?
        package var liveP90: Double?
        package var simulatedConnected: Int
        package var liveConnected: Int
        /// Live median over simulated median, minus one.
        package var medianDifference: Double?
        package var ksStatistic: Double?
        package var ksPValue: Double?
        /// `agree`, `tails differ` or `disagree`.
        package var verdict: String
        /// Which model assumption differs, or why the live side has no runs.
        package var note: String?

        package init(
            scenario: String, policy: String, runs: Int, simulatedMedian: Double, simulatedP90: Double,
            liveMedian: Double?, liveP90: Double?, simulatedConnected: Int, liveConnected: Int,
            medianDifference: Double?, ksStatistic: Double?, ksPValue: Double?, verdict: String, note: String?
        ) {
            self.scenario = scenario
            self.policy = policy
            self.runs = runs
            self.simulatedMedian = simulatedMedian
            self.simulatedP90 = simulatedP90
            self.liveMedian = liveMedian
            self.liveP90 = liveP90
            self.simulatedConnected = simulatedConnected
            self.liveConnected = liveConnected
            self.medianDifference = medianDifference
            self.ksStatistic = ksStatistic
            self.ksPValue = ksPValue
            self.verdict = verdict
            self.note = note
        }
    }

    package var rows: [Row]
    package var distributions: [Distribution] = []
    package var skipped: [Skipped]
    /// The processing baseline measured before the first row.
    package var baseline: Duration

    package init(rows: [Row], skipped: [Skipped], baseline: Duration) {
        self.rows = rows
        self.skipped = skipped
        self.baseline = baseline
    }
}
