import Foundation
extension CalibrationReport {
    /// The columns of `calibration.csv`.
    static let columns = [
        "scenario", "policy", "seed", "simulated_outcome", "simulated_ms", "simulated_winner", "live_outcome",
        "live_ms", "live_winner", "difference_ms", "tolerance_ms", "allowance_ms", "baseline_ms", "agreement",
        "disagreement", "simulated_first_frame_ms", "live_first_frame_ms",
    ]

    /// `calibration.csv`: one row per calibrated scenario × policy (skipped ones are in the HTML).
    func csv() -> String {
        var table = CSVTable(header: Self.columns)
        func cell(_ duration: Duration?) -> CSVTable.Cell {
            duration.map { .number($0.millisecondsText) } ?? .empty
        }
        for row in rows {
            table.append([
                .text(row.scenario), .text(row.policy), .number(String(row.seed)),
                .text(row.simulated.connected ? "connected" : "failed"), cell(row.simulated.time),
                row.simulated.winner.map(CSVTable.Cell.text) ?? .empty,
                row.live.map { .text($0.connected ? "connected" : "failed") } ?? .text("error"), cell(row.live?.time),
                row.live?.winner.map(CSVTable.Cell.text) ?? .empty,
                cell(row.difference), cell(row.tolerance), cell(row.allowance), cell(row.baseline),
                .text(row.agrees ? "agree" : "disagree"),
                (row.disagreement ?? row.liveError).map(CSVTable.Cell.text) ?? .empty,
                cell(row.simulated.firstFrame), cell(row.live?.firstFrame),
            ])
        }
        return table.text
    }

    /// The columns of `calibration-distributions.csv`.
    static let distributionColumns = [
        "scenario", "policy", "runs", "simulated_median_ms", "simulated_p90_ms", "live_median_ms", "live_p90_ms",
        "simulated_connected", "live_connected", "median_difference", "ks_statistic", "ks_p_value", "verdict", "note",
    ]

    /// `calibration-distributions.csv`: one row per lossy or jittery scenario × policy.
    func distributionsCSV() -> String {
        var table = CSVTable(header: Self.distributionColumns)
        func number(_ value: Double?, _ format: String) -> CSVTable.Cell {
            value.map { .number(String(format: format, $0)) } ?? .empty
        }
        for row in distributions {
            table.append([
                .text(row.scenario), .text(row.policy), .number(String(row.runs)),
                number(row.simulatedMedian, "%.3f"), number(row.simulatedP90, "%.3f"),
                number(row.liveMedian, "%.3f"), number(row.liveP90, "%.3f"),
                .number(String(row.simulatedConnected)), .number(String(row.liveConnected)),
                number(row.medianDifference, "%.4f"), number(row.ksStatistic, "%.4f"), number(row.ksPValue, "%.4f"),
                .text(row.verdict), row.note.map(CSVTable.Cell.text) ?? .empty,
            ])
        }
        return table.text
    }
}
