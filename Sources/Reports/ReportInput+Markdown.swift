extension ReportInput {
    /// `summary.md`: one GitHub-flavoured table row per scenario × policy, fit for appending to
    /// `$GITHUB_STEP_SUMMARY`, then the failed expectations spelled out.
    func summaryMarkdown() -> String {
        let allRuns = scenarios.flatMap(\.runs)
        let failed = allRuns.reduce(0) { $0 + $1.failedExpectations.count }
        let checked = allRuns.reduce(0) { $0 + $1.expectations.count }
        var out = "## \(MarkdownText.cell(title))\n\n"
        if let generatedAt { out += "Generated \(MarkdownText.cell(generatedAt)).\n\n" }
        out += "\(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s"), \(allRuns.count) run"
            + "\(allRuns.count == 1 ? "" : "s"); "
        out += failed == 0
            ? "\(checked) expectation check\(checked == 1 ? "" : "s") passed.\n\n"
            : "**\(failed) of \(checked) expectation checks failed.**\n\n"
        out += "| Scenario | Policy | Outcome | Time to connect | Oracle | Regret | Winner | Attempts | Server cost | Expectation |\n"
        out += "|---|---|---|--:|--:|--:|---|--:|---|---|\n"
        for scenario in scenarios {
            for summary in PolicySummary.group(scenario) {
                let outcome = summary.runs.count == 1
                    ? summary.runs[0].run.outcomeToken
                    : "\(summary.connectedCount)/\(summary.runs.count) connected"
                var time = "—"
                if let typical = summary.typicalTimeToConnect {
                    time = typical.humanText
                    if summary.runs.count > 1, let p95 = summary.connectStatistics.percentile(95) {
                        time = "p50 \(typical.humanText), p95 \(p95.humanText)"
                    }
                } else if let fail = summary.typicalTimeToFail {
                    time = "failed after \(fail.humanText)"
                }
                let oracle = summary.typicalOracle.map { "\($0.humanText) (\(summary.oracleCandidate ?? ""))" } ?? "—"
                let verdict = switch summary.verdict {
                case "pass": "✅ pass"
                case "fail": "❌ fail"
                default: "—"
                }
                let cells = [
                    MarkdownText.cell(scenario.name), MarkdownText.cell(summary.policy), outcome,
                    MarkdownText.cell(time), MarkdownText.cell(oracle),
                    summary.typicalRegret.map { MarkdownText.cell($0.humanText) } ?? "—",
                    summary.commonWinner.map(MarkdownText.cell) ?? "—", summary.attemptsText,
                    MarkdownText.cell(summary.costText), verdict,
                ]
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
        }
        let failures = scenarios.flatMap { scenario in
            scenario.runs.flatMap { run in run.failedExpectations.map { (scenario, run, $0) } }
        }
        if !failures.isEmpty {
            out += "\n### Failed expectations\n\n"
            for (scenario, run, expectation) in failures {
                out += "- **\(MarkdownText.cell(scenario.name))** / \(MarkdownText.cell(run.policy))"
                    + (scenario.repeatCount > 1 || run.client > 1 ? " (\(run.runLabel))" : "")
                    + ": \(MarkdownText.cell(expectation.description)) — \(MarkdownText.cell(expectation.detail))\n"
            }
        }
        if let population { out += "\n" + population.markdown }
        if let baseline { out += "\n" + baseline.markdown }
        return out
    }
}
