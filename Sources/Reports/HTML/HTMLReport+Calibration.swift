import Foundation
extension HTMLReport {
    /// The calibration section: each scenario × policy simulated and live, the difference, the
    /// bound it was held to, the verdict and the processing baseline beside it; then what was not
    /// run live and why. Every name goes through `Markup.escape` like the rest of the page.
    func calibrationSection(_ calibration: CalibrationReport) -> String {
        let agreeing = calibration.rows.filter(\.agrees).count
        var out = "<section id=\"calibration\">\n<h2>Calibration: simulated and live</h2>\n<p class=\"meta\">"
        if calibration.rows.isEmpty {
            out += calibration.distributions.isEmpty
                ? "no run was short enough to run live" : "no scenario without jitter or loss was run live"
        } else if agreeing == calibration.rows.count {
            out += "<span class=\"pass\">all \(agreeing) runs agree</span>"
        } else {
            out += "<span class=\"fail\">\(calibration.rows.count - agreeing) of \(calibration.rows.count) runs disagree</span>"
        }
        out += " within max(15 ms, 10 %) plus the processing baseline per live handshake · baseline at the start "
            + "\(Markup.escape(calibration.baseline.humanText))</p>\n"
        out += "<div class=\"scroll\"><table class=\"calibration\">\n<thead><tr><th>Scenario</th><th>Policy</th>"
            + "<th>Simulated</th><th>Live</th><th>Difference</th><th>Tolerance</th><th>Agreement</th><th>Baseline</th>"
            + "</tr></thead>\n<tbody>\n"
        for row in calibration.rows {
            let live = row.live.map(Self.describe) ?? "error"
            let difference = row.difference.map { ($0 >= .zero ? "+" : "") + $0.humanText } ?? "–"
            let tolerance = row.tolerance.humanText + (row.allowance > .zero ? " + " + row.allowance.humanText : "")
            let verdict = row.disagreement.map { "<span class=\"fail\">disagree</span>: " + Markup.escape($0) }
                ?? "<span class=\"pass\">agree</span>"
            out += "<tr><td>\(Markup.escape(row.scenario))</td><td>\(Markup.escape(row.policy))</td>"
                + "<td>\(Markup.escape(Self.describe(row.simulated)))</td><td>\(Markup.escape(live))</td>"
                + "<td class=\"num\">\(Markup.escape(difference))</td><td class=\"num\">\(Markup.escape(tolerance))</td>"
                + "<td>\(verdict)</td><td class=\"num\">\(Markup.escape(row.baseline.humanText))</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        if !calibration.distributions.isEmpty { out += distributionTable(calibration.distributions) }
        if !calibration.skipped.isEmpty {
            out += "<h3>Not run live (\(calibration.skipped.count))</h3>\n<ul class=\"skipped\">\n"
            for skip in calibration.skipped {
                out += "<li>\(Markup.escape(skip.scenario)) / \(Markup.escape(skip.policy)): \(Markup.escape(skip.reason))</li>\n"
            }
            out += "</ul>\n"
        }
        out += "</section>\n"
        return out
    }

    /// Lossy and jittery scenarios, compared as distributions over N runs per side.
    func distributionTable(_ rows: [CalibrationReport.Distribution]) -> String {
        func ms(_ value: Double?) -> String {
            value.map { Duration.nanoseconds(Int64(($0 * 1e6).rounded())).humanText } ?? "–"
        }
        var out = "<h3>Lossy and jittery scenarios: distributions over repeated runs</h3>\n<p class=\"meta\">"
            + "agree: medians within 15 %, the same share connected, and a two-sample Kolmogorov–Smirnov test at 5 % "
            + "cannot tell them apart</p>\n"
        out += "<div class=\"scroll\"><table class=\"calibration\">\n<thead><tr><th>Scenario</th><th>Policy</th>"
            + "<th>Runs</th><th>Simulated p50 / p90</th><th>Live p50 / p90</th><th>Connected</th><th>Median Δ</th>"
            + "<th>KS D</th><th>p</th><th>Verdict</th></tr></thead>\n<tbody>\n"
        for row in rows {
            let verdictClass = row.verdict == "agree" ? "pass" : "fail"
            let verdict = "<span class=\"\(verdictClass)\">\(Markup.escape(row.verdict))</span>"
                + (row.note.map { ": " + Markup.escape($0) } ?? "")
            let live = row.liveMedian == nil ? "error" : "\(ms(row.liveMedian)) / \(ms(row.liveP90))"
            out += "<tr><td>\(Markup.escape(row.scenario))</td><td>\(Markup.escape(row.policy))</td>"
                + "<td class=\"num\">\(row.runs)</td><td class=\"num\">\(ms(row.simulatedMedian)) / \(ms(row.simulatedP90))</td>"
                + "<td class=\"num\">\(live)</td><td class=\"num\">\(row.simulatedConnected) / \(row.liveConnected)</td>"
                + "<td class=\"num\">\(row.medianDifference.map { String(format: "%+.1f %%", $0 * 100) } ?? "–")</td>"
                + "<td class=\"num\">\(row.ksStatistic.map { String(format: "%.3f", $0) } ?? "–")</td>"
                + "<td class=\"num\">\(row.ksPValue.map { String(format: "%.3f", $0) } ?? "–")</td><td>\(verdict)</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n"
        return out
    }

    /// `connected 160 ms via rtmp:443`, `failed 3.000 s`.
    static func describe(_ side: CalibrationReport.Side) -> String {
        guard side.connected else { return "failed \(side.time.humanText)" }
        return "connected \(side.time.humanText)" + (side.winner.map { " via \($0)" } ?? "")
            + (side.firstFrame.map { ", first frame \($0.humanText)" } ?? "")
    }
}
