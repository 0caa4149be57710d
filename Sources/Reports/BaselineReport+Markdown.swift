extension BaselineReport {
    /// The comparison as Markdown: what `compare` prints and what `summary.md` ends with.
    package var markdown: String {
        var out = "## Compared with baseline\n\n\(method)\n\n"
        out += "| scenario | policy | runs | median ms | p95 ms | failures | winner | server connections | peak | verdict |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|\n"
        for row in rows {
            let cells = [
                MarkdownText.cell(row.scenario), MarkdownText.cell(row.policy), row.runs,
                row.regressions.contains { $0.hasPrefix("median") } ? "**\(row.median)**" : row.median,
                row.regressions.contains { $0.hasPrefix("p95") } ? "**\(row.p95)**" : row.p95,
                row.failures, MarkdownText.cell(row.winner), row.serverConnections, row.peak,
                row.regressions.isEmpty ? "ok" : "**regressed**",
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        out += regressed.isEmpty ? "\nNo regression.\n" : "\nRegressions:\n"
        for row in regressed {
            out += "- \(MarkdownText.cell(row.scenario)) / \(MarkdownText.cell(row.policy)): "
                + row.regressions.joined(separator: "; ") + "\n"
        }
        if !winnerChanges.isEmpty {
            out += "\nWinner changed (not judged): " + winnerChanges.map(MarkdownText.cell).joined(separator: ", ") + "\n"
        }
        if !onlyInBaseline.isEmpty {
            out += "\nOnly in the baseline: " + onlyInBaseline.map(MarkdownText.cell).joined(separator: ", ") + "\n"
        }
        if !onlyInCurrent.isEmpty {
            out += "\nOnly in the current report: " + onlyInCurrent.map(MarkdownText.cell).joined(separator: ", ") + "\n"
        }
        return out
    }
}
