/// `fallback-lab run --baseline DIR`'s comparison, as the report shows it: one row per scenario ×
/// policy with its figures already in words (Lab decides; the writers only lay it out), the pairs
/// that regressed, and what only one report has. `summary.md`, `junit.xml` and `index.html` each get a
/// "Compared with baseline" part; the other files do not change.
package struct BaselineReport: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var scenario: String
        package var policy: String
        /// `30 → 30`.
        package var runs: String
        package var median: String
        package var p95: String
        package var failures: String
        package var winner: String
        package var serverConnections: String
        package var peak: String
        /// Empty when nothing regressed.
        package var regressions: [String]

        package init(
            scenario: String, policy: String, runs: String, median: String, p95: String, failures: String,
            winner: String, serverConnections: String, peak: String, regressions: [String]
        ) {
            self.scenario = scenario
            self.policy = policy
            self.runs = runs
            self.median = median
            self.p95 = p95
            self.failures = failures
            self.winner = winner
            self.serverConnections = serverConnections
            self.peak = peak
            self.regressions = regressions
        }
    }

    /// The folders compared, and how (thresholds and test), in one sentence.
    package var method: String
    package var rows: [Row]
    /// `scenario / policy` of the pairs whose winner changed, with the change.
    package var winnerChanges: [String]
    package var onlyInBaseline: [String]
    package var onlyInCurrent: [String]

    package init(method: String, rows: [Row], winnerChanges: [String], onlyInBaseline: [String], onlyInCurrent: [String]) {
        self.method = method
        self.rows = rows
        self.winnerChanges = winnerChanges
        self.onlyInBaseline = onlyInBaseline
        self.onlyInCurrent = onlyInCurrent
    }

    package var regressed: [Row] { rows.filter { !$0.regressions.isEmpty } }
}
