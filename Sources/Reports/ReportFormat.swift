/// The parts of a report directory, as `--format` names them.
package enum ReportFormat: String, CaseIterable, Sendable, Hashable {
    /// `index.html`.
    case html
    /// `results.csv` and `attempts.csv`.
    case csv
    /// `summary.json`.
    case json
    /// `junit.xml`.
    case junit
    /// `summary.md`.
    case md
    /// `pcap/`, one capture per run that recorded packets.
    case pcap
}
