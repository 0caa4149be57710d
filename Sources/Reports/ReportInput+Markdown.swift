extension ReportInput {
    /// `summary.md`: one GitHub-flavoured table row per scenario × policy, fit for appending to
    /// `$GITHUB_STEP_SUMMARY`, then the failed expectations spelled out.
    ///
    /// Written in two parts (issue 13): each run's failed expectations as the run comes in
    /// (`markdownFailures`, into a spool), and at the end the document around them.
    static func markdownFailures(_ run: RunReport, of scenario: ScenarioReport) -> String {
        var out = ""
        for expectation in run.failedExpectations {
            out += "- **\(MarkdownText.cell(scenario.name))** / \(MarkdownText.cell(run.policy))"
                + (scenario.repeatCount > 1 || run.client > 1 ? " (\(run.runLabel))" : "")
                + ": \(MarkdownText.cell(expectation.description)) — \(MarkdownText.cell(expectation.detail))\n"
        }
        return out
    }

    /// The whole of `summary.md` into `out`, the spooled failures from `failures`.
    func composeMarkdown(_ summaries: [ScenarioSummary], failures: ReportFile, into out: ReportFile) throws(ReportError) {
        let runCount = summaries.reduce(0) { $0 + $1.runCount }
        let failed = summaries.reduce(0) { $0 + $1.expectationsFailed }
        let checked = summaries.reduce(0) { $0 + $1.expectationsChecked }
        var text = "## \(MarkdownText.cell(title))\n\n"
        if let generatedAt { text += "Generated \(MarkdownText.cell(generatedAt)).\n\n" }
        text += "\(summaries.count) scenario\(summaries.count == 1 ? "" : "s"), \(runCount) run"
            + "\(runCount == 1 ? "" : "s"); "
        text += failed == 0
            ? "\(checked) expectation check\(checked == 1 ? "" : "s") passed.\n\n"
            : "**\(failed) of \(checked) expectation checks failed.**\n\n"
        text += "| Scenario | Policy | Outcome | Time to connect | Oracle | Regret | Winner | Attempts | Server cost | Expectation |\n"
        text += "|---|---|---|--:|--:|--:|---|--:|---|---|\n"
        for scenario in summaries {
            for summary in scenario.policies {
                var time = "—"
                if let typical = summary.typicalTimeToConnect {
                    time = typical.humanText
                    if summary.runCount > 1, let p95 = summary.connectStatistics.percentile(95) {
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
                    MarkdownText.cell(scenario.scenario.name), MarkdownText.cell(summary.policy), summary.outcomeText,
                    MarkdownText.cell(time), MarkdownText.cell(oracle),
                    summary.typicalRegret.map { MarkdownText.cell($0.humanText) } ?? "—",
                    summary.commonWinner.map(MarkdownText.cell) ?? "—", summary.attemptsText,
                    MarkdownText.cell(summary.costText), verdict,
                ]
                text += "| " + cells.joined(separator: " | ") + " |\n"
            }
        }
        if failures.size > 0 {
            text += "\n### Failed expectations\n\n"
            out.append(text)
            text = ""
            try out.append(0..<failures.size, of: failures)
        }
        if let population { text += "\n" + population.markdown }
        if let baseline { text += "\n" + baseline.markdown }
        out.append(text)
    }
}
