import Foundation
extension Calibration {
    /// The side-by-side table `calibrate` prints: each run simulated and live, the difference, the
    /// tolerance and the verdict; then the runs left out and why.
    package var table: String {
        var columns: [[String]] = [["scenario", "policy", "simulated", "live", "difference", "tolerance", "verdict"]]
        for row in rows {
            let live: String
            switch row.live {
            case .success(let side): live = Self.describe(side)
            case .failure: live = "error"
            }
            columns.append([
                row.scenario, row.policy, Self.describe(row.simulated), live,
                row.difference.map { ($0 >= .zero ? "+" : "") + DurationText.describe($0) } ?? "-",
                DurationText.describe(row.tolerance) + (row.allowance > .zero ? " + " + DurationText.describe(row.allowance) : ""),
                row.disagreement.map { "DISAGREE: \($0)" } ?? "agree",
            ])
        }
        var lines = AlignedColumns.lines(columns)
        let agreeing = rows.filter(\.agrees).count
        lines.append("")
        lines.append("\(agreeing) of \(rows.count) runs agree within max(15 ms, 10 %) plus the machine's processing time per live handshake")
        lines.append("processing baseline: \(DurationText.describe(processingBaseline)) per handshake and connect on loopback with no latency at the start, measured again before each row (the model has no CPU time)")
        if !distributions.isEmpty {
            lines.append("")
            lines += distributionLines
        }
        lines.append("\(skipped.count) not run live")
        for skip in skipped {
            lines.append("  skipped \(skip.scenario) / \(skip.policy): \(skip.reason)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `connected 160.4 ms via rtmp:443`, `failed 3 s`.
    static func describe(_ side: CalibrationRow.Side) -> String {
        let time = DurationText.describe(side.time)
        guard side.connected else { return "failed \(time)" }
        return "connected \(time)" + (side.winner.map { " via \($0)" } ?? "")
            + (side.firstFrame.map { ", first frame \(DurationText.describe($0))" } ?? "")
    }

    /// Lossy and jittery scenarios: each side's median and p90 over N runs, the medians' difference,
    /// the Kolmogorov–Smirnov statistic and p-value, the verdict; then the model notes.
    var distributionLines: [String] {
        var columns: [[String]] = [["scenario", "policy", "runs", "simulated p50 / p90", "live p50 / p90", "median Δ", "KS D", "p", "verdict"]]
        func ms(_ value: Double?) -> String {
            value.map { DurationText.describe(.nanoseconds(Int64(($0 * 1e6).rounded()))) } ?? "-"
        }
        for row in distributions {
            columns.append([
                row.scenario, row.policy, "\(row.simulated.count)",
                "\(ms(row.simulatedMedian)) / \(ms(row.simulatedP90))",
                row.liveMedian == nil ? "error" : "\(ms(row.liveMedian)) / \(ms(row.liveP90))",
                row.medianDifference.map { String(format: "%+.1f %%", $0 * 100) } ?? "-",
                row.ksStatistic.map { String(format: "%.3f", $0) } ?? "-",
                row.ksPValue.map { String(format: "%.3f", $0) } ?? "-",
                row.verdict.rawValue,
            ])
        }
        var lines = AlignedColumns.lines(columns)
        let agreeing = distributions.filter(\.agrees).count
        lines.append(
            "\(agreeing) of \(distributions.count) lossy or jittery rows agree: medians within 15 %, the same share connected, "
                + "Kolmogorov–Smirnov p ≥ 0.05")
        for row in distributions {
            if let note = row.note { lines.append("  \(row.scenario) / \(row.policy): \(note)") }
        }
        return lines
    }
}
