/// Everything a report directory is made from, in the Reports module's own plain vocabulary.
///
/// The runner (`Lab`) maps its results into these types, so the writers never depend on how a run
/// was executed (simulated or live). Order matters: scenarios, runs and attempts are written in the
/// order given, which is what keeps the output byte-for-byte deterministic.
///
/// Mapping a run, in short: `RunResult(timeline)` gives the result; `AttemptReport(record, synTimes:)`
/// each attempt (with the runtime's SYN times for it); `timeline.serverCost` is the cost; the oracle
/// run gives `OracleResult`; each checked `expect:` entry an `ExpectationResult`; the firewall's and
/// proxy's decisions `NetworkEvent`s; and the packets the client saw (those it sent, and those
/// delivered to it) `PacketRecord`s with addresses as `PacketRecord.Address(value:)`.
package struct ReportInput: Sendable {
    /// The heading of the HTML report and of the Markdown summary.
    package var title: String
    /// A generation time supplied by the caller (for example from the scenario seed or CI); the writers
    /// never read the wall clock, so that the same input gives the same bytes.
    package var generatedAt: String?
    /// The scenarios, in the order they were run.
    package var scenarios: [ScenarioReport]
    /// `calibrate`'s side-by-side comparison, when the report is one (`index.html` gets a
    /// calibration section and the CSV format adds `calibration.csv`).
    package var calibration: CalibrationReport?
    /// `run --baseline`'s comparison with an earlier report: a section of `summary.md` and
    /// `index.html`, a test suite of `junit.xml`.
    package var baseline: BaselineReport?
    /// `run --population`'s weighted figures.
    package var population: PopulationReport?

    package init(
        title: String = "FallbackLab", generatedAt: String? = nil, scenarios: [ScenarioReport],
        calibration: CalibrationReport? = nil, baseline: BaselineReport? = nil
    ) {
        self.title = title
        self.generatedAt = generatedAt
        self.scenarios = scenarios
        self.calibration = calibration
        self.baseline = baseline
    }
}
