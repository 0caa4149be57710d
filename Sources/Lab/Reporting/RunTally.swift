/// What a run command prints at the end, gathered a run at a time so that the runs need not be
/// kept (issue 13): the summary table, the failed expectations and the runs that errored. The
/// console lists the first `listedLimit` of each and counts the rest; the report files list all.
package struct RunTally: Sendable {
    /// How many failures (errors) the console lists one by one.
    static let listedLimit = 1_000

    private var table = SummaryTable.Builder()
    package private(set) var failures: [RunResults.Failure] = []
    package private(set) var failureCount = 0
    package private(set) var errors: [String] = []
    package private(set) var errorCount = 0

    package init() {}

    /// A tally of runs already in hand.
    package init(_ results: RunResults) {
        for record in results.records { add(record, scenarios: results.scenarios) }
    }

    mutating func add(_ record: RunRecord, scenarios: [Scenario]) {
        table.add(record)
        count(RunResults.failures(of: record, in: scenarios), error: RunResults.error(of: record))
    }

    /// A run read back from a report folder (`merge`), of the scenario named `scenarioName`.
    mutating func add(_ line: RecordLine, scenarioName: String) {
        table.add(line, scenarioName: scenarioName)
        let failed = (line.expectations ?? []).filter { !$0.passed }.map {
            RunResults.Failure(
                scenario: scenarioName, policy: line.policy, repetition: line.repetition, run: line.label,
                expected: $0.expected, measured: $0.measured, location: $0.location)
        }
        count(failed, error: line.error.map { "\(scenarioName) / \(line.policy) \(line.label): \($0)" })
    }

    /// One run's failed expectations and error, counted, and listed up to `listedLimit`.
    private mutating func count(_ failed: [RunResults.Failure], error: String?) {
        failureCount += failed.count
        failures += failed.prefix(max(0, Self.listedLimit - failures.count))
        if let error {
            errorCount += 1
            if errors.count < Self.listedLimit { errors.append(error) }
        }
    }

    package var summaryTable: SummaryTable { table.table }

    /// The failed expectations as the console lists them, after a blank line; empty when none.
    package var failuresText: String {
        Self.listing(failureCount, "expectation", "failed", failures.map(\.description), whereAll: "summary.md and junit.xml list every one")
    }

    /// The runs that errored as the console lists them, after a blank line; empty when none.
    package var errorsText: String {
        Self.listing(errorCount, "run", "errored", errors, whereAll: "records.jsonl has every one")
    }

    /// "N things went wrong:", the listed ones indented, and how many more there are and where.
    private static func listing(_ count: Int, _ noun: String, _ verb: String, _ listed: [String], whereAll: String) -> String {
        guard count > 0 else { return "" }
        var text = "\n\(count) \(noun)\(count == 1 ? "" : "s") \(verb):\n"
        for item in listed { text += "  \(item)\n" }
        if count > listed.count { text += "  … and \(count - listed.count) more (\(whereAll))\n" }
        return text
    }

    /// The design's exit codes: 0 when every expectation held, 1 when one failed or a run errored.
    package var exitCode: Int32 { failureCount == 0 && errorCount == 0 ? 0 : 1 }
}
