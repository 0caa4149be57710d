extension HTMLReport {
    /// "Compared with baseline": `run --baseline`'s table, the regressions first in words.
    func baselineSection(_ baseline: BaselineReport) -> String {
        var out = "<section id=\"baseline\">\n<h2>Compared with baseline</h2>\n<p class=\"meta\">"
        out += baseline.regressed.isEmpty
            ? "<span class=\"pass\">no regression</span>"
            : "<span class=\"fail\">\(baseline.regressed.count) of \(baseline.rows.count) pairs regressed</span>"
        out += " · \(Markup.escape(baseline.method))</p>\n"
        if !baseline.regressed.isEmpty {
            out += "<ul>\n"
            for row in baseline.regressed {
                out += "<li>\(Markup.escape(row.scenario)) / \(Markup.escape(row.policy)): "
                    + Markup.escape(row.regressions.joined(separator: "; ")) + "</li>\n"
            }
            out += "</ul>\n"
        }
        out += "<div class=\"scroll\"><table class=\"calibration\">\n<thead><tr><th>Scenario</th><th>Policy</th>"
            + "<th>Runs</th><th>Median ms</th><th>p95 ms</th><th>Failures</th><th>Winner</th><th>Server connections</th>"
            + "<th>Peak</th><th>Verdict</th></tr></thead>\n<tbody>\n"
        for row in baseline.rows {
            let verdict = row.regressions.isEmpty ? "<span class=\"pass\">ok</span>" : "<span class=\"fail\">regressed</span>"
            let cells = [row.runs, row.median, row.p95, row.failures, row.winner, row.serverConnections, row.peak]
            out += "<tr><td>\(Markup.escape(row.scenario))</td><td>\(Markup.escape(row.policy))</td>"
                + cells.map { "<td>\(Markup.escape($0))</td>" }.joined() + "<td>\(verdict)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        let notes = [
            baseline.winnerChanges.isEmpty ? nil : "Winner changed (not judged): " + baseline.winnerChanges.joined(separator: ", "),
            baseline.onlyInBaseline.isEmpty ? nil : "Only in the baseline: " + baseline.onlyInBaseline.joined(separator: ", "),
            baseline.onlyInCurrent.isEmpty ? nil : "Only in the current report: " + baseline.onlyInCurrent.joined(separator: ", "),
        ].compactMap { $0 }
        for note in notes { out += "<p class=\"meta\">\(Markup.escape(note))</p>\n" }
        return out + "</section>\n"
    }
}
