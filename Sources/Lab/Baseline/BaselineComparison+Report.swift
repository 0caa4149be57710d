import Reports

extension BaselineComparison {
    /// The comparison in the report's own model, its figures in words.
    package var report: BaselineReport {
        let method = "Baseline `\(baselineFolder)`, current `\(currentFolder)`. A figure regressed when it grew by more "
            + "than \(thresholds) (a time by more than both, a failure rate by more than the percentage in points, "
            + "a server count by more than the percentage) and the 95% percentile-bootstrap interval of the "
            + "difference (\(Bootstrap.resamples) resamples, seeded) lies above zero; one run a side, and the "
            + "peak, compare exactly."
        let rows = pairs.map { pair in
            BaselineReport.Row(
                scenario: pair.key.scenario, policy: pair.key.policy, runs: "\(pair.baselineRuns) → \(pair.currentRuns)",
                median: pair.median.map(Self.both) ?? "–", p95: pair.p95.map(Self.both) ?? "–",
                failures: "\(Pair.percent(pair.failureRate.baseline)) → \(Pair.percent(pair.failureRate.current))",
                winner: pair.baselineWinner == pair.currentWinner
                    ? Self.name(pair.currentWinner) : "\(Self.name(pair.baselineWinner)) → \(Self.name(pair.currentWinner))",
                serverConnections: Self.both(pair.serverConnections), peak: pair.serverPeak.map(Self.both) ?? "–",
                regressions: pair.regressions)
        }
        return BaselineReport(
            method: method, rows: rows,
            winnerChanges: pairs.filter { $0.baselineWinner != $0.currentWinner }
                .map { "\($0.key) (\(Self.name($0.baselineWinner)) → \(Self.name($0.currentWinner)))" },
            onlyInBaseline: onlyInBaseline.map(\.description), onlyInCurrent: onlyInCurrent.map(\.description))
    }

    /// The comparison as Markdown (what `compare` prints).
    package var markdown: String { report.markdown }

    private static func both(_ figure: Figure) -> String {
        "\(Pair.number(figure.baseline)) → \(Pair.number(figure.current))"
    }

    private static func name(_ winner: String) -> String { winner.isEmpty ? "–" : winner }
}

extension BaselineComparison {
    /// A run's report (to be written to `folder`) compared with `baseline`: its results read back
    /// from the table the report holds, through the same reader `compare` uses, so `run --baseline`
    /// and a later `compare` agree.
    init(resultsTable: String, to folder: String, with baseline: ReportResults, thresholds: RegressionThresholds) {
        let current = (try? ReportResults(folder: folder, results: resultsTable))
            ?? ReportResults(folder: folder, runs: [])
        self.init(baseline: baseline, current: current, thresholds: thresholds)
    }
}
