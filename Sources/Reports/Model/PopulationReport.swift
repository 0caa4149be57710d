/// `fallback-lab run --population FILE`'s weighted figures, as the report shows them beside the
/// per-scenario ones: one row per policy that ran in every scenario of the population, its figures
/// already in words (Lab computes them; the writers lay them out). `summary.md` and `index.html` get
/// a "Population" part; the other files do not change.
package struct PopulationReport: Sendable, Equatable {
    package struct Member: Sendable, Equatable {
        package var scenario: String
        /// `60%`.
        package var weight: String

        package init(scenario: String, weight: String) {
            self.scenario = scenario
            self.weight = weight
        }
    }

    package struct Row: Sendable, Equatable {
        package var policy: String
        package var objective: String
        package var median: String
        package var failureRate: String
        package var serverConnections: String
        package var peak: String

        package init(policy: String, objective: String, median: String, failureRate: String, serverConnections: String, peak: String) {
            self.policy = policy
            self.objective = objective
            self.median = median
            self.failureRate = failureRate
            self.serverConnections = serverConnections
            self.peak = peak
        }
    }

    package var file: String
    /// `p95`, `mean`, …
    package var objective: String
    /// How a failed connect counts, in words.
    package var method: String
    package var members: [Member]
    package var rows: [Row]
    /// Policies that did not run in every scenario, so have no population figure.
    package var partial: [String]

    package init(file: String, objective: String, method: String, members: [Member], rows: [Row], partial: [String]) {
        self.file = file
        self.objective = objective
        self.method = method
        self.members = members
        self.rows = rows
        self.partial = partial
    }

    package var markdown: String {
        var out = "## Population \(MarkdownText.cell(file))\n\n"
        out += members.map { "\(MarkdownText.cell($0.scenario)) \($0.weight)" }.joined(separator: " · ") + "\n\n"
        out += "| Policy | \(objective) ms | median ms | failure rate | server connections per client | peak per client |\n"
        out += "|---|---:|---:|---:|---:|---:|\n"
        for row in rows {
            out += "| \(MarkdownText.cell(row.policy)) | \(row.objective) | \(row.median) | \(row.failureRate) | \(row.serverConnections) | \(row.peak) |\n"
        }
        out += "\n\(method)\n"
        if !partial.isEmpty { out += "\nNot in every scenario, so not weighted: " + partial.joined(separator: ", ") + "\n" }
        return out
    }
}
