extension BaselineComparison {
    /// The comparison as Markdown, for a terminal and for a CI job summary: the thresholds and the
    /// test, one table row per pair, then the regressions and the pairs only one report has.
    package var markdown: String {
        var out = "## Compared with baseline\n\n"
        out += "Baseline `\(baselineFolder)`, current `\(currentFolder)`. A figure regressed when it grew by more "
        out += "than \(thresholds) (a time by more than both, a failure rate by more than the percentage in points, "
        out += "a server count by more than the percentage) and the 95% percentile-bootstrap interval of the "
        out += "difference (\(Bootstrap.resamples) resamples, seeded) lies above zero; one run a side, and the "
        out += "peak, compare exactly.\n\n"
        out += "| scenario | policy | runs | median ms | p95 ms | failures | winner | server connections | peak | verdict |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|\n"
        for pair in pairs {
            let cells = [
                Self.cell(pair.key.scenario), Self.cell(pair.key.policy), "\(pair.baselineRuns) → \(pair.currentRuns)",
                pair.median.map(Self.times) ?? "–", pair.p95.map(Self.times) ?? "–",
                "\(Pair.percent(pair.failureRate.baseline)) → \(Pair.percent(pair.failureRate.current))",
                pair.baselineWinner == pair.currentWinner
                    ? Self.cell(pair.currentWinner.isEmpty ? "–" : pair.currentWinner)
                    : "\(Self.cell(pair.baselineWinner.isEmpty ? "–" : pair.baselineWinner)) → \(Self.cell(pair.currentWinner.isEmpty ? "–" : pair.currentWinner))",
                "\(Pair.number(pair.serverConnections.baseline)) → \(Pair.number(pair.serverConnections.current))",
                pair.serverPeak.map { "\(Pair.number($0.baseline)) → \(Pair.number($0.current))" } ?? "–",
                pair.regressions.isEmpty ? "ok" : "**regressed**",
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        let regressed = pairs.filter { !$0.regressions.isEmpty }
        out += regressed.isEmpty ? "\nNo regression.\n" : "\nRegressions:\n"
        for pair in regressed {
            out += "- \(Self.cell(pair.key.description)): " + pair.regressions.joined(separator: "; ") + "\n"
        }
        let changed = pairs.filter { $0.baselineWinner != $0.currentWinner }
        if !changed.isEmpty {
            out += "\nWinner changed (not judged): "
                + changed.map { "\(Self.cell($0.key.description)) (\($0.baselineWinner) → \($0.currentWinner))" }.joined(separator: ", ") + "\n"
        }
        if !onlyInBaseline.isEmpty {
            out += "\nOnly in the baseline: " + onlyInBaseline.map { Self.cell($0.description) }.joined(separator: ", ") + "\n"
        }
        if !onlyInCurrent.isEmpty {
            out += "\nOnly in the current report: " + onlyInCurrent.map { Self.cell($0.description) }.joined(separator: ", ") + "\n"
        }
        return out
    }

    private static func times(_ figure: Figure) -> String {
        let text = "\(Pair.number(figure.baseline)) → \(Pair.number(figure.current))"
        return figure.regressed ? "**\(text)**" : text
    }

    /// Text safe in a table cell: pipes and line breaks escaped.
    private static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}
