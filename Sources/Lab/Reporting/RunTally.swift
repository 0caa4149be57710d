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
        let failed = RunResults.failures(of: record, in: scenarios)
        failureCount += failed.count
        failures += failed.prefix(max(0, Self.listedLimit - failures.count))
        if let error = RunResults.error(of: record) {
            errorCount += 1
            if errors.count < Self.listedLimit { errors.append(error) }
        }
    }

    package var summaryTable: SummaryTable { table.table }

    /// The design's exit codes: 0 when every expectation held, 1 when one failed or a run errored.
    package var exitCode: Int32 { failureCount == 0 && errorCount == 0 ? 0 : 1 }
}
