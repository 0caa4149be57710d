import ArgumentParser
import Foundation
import Lab

/// `fallback-lab compare`: is this report worse than the baseline report?
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two report folders scenario × policy and fail on a clear regression.",
        discussion: """
            Reads each folder's results.csv and prints the comparison as Markdown (for a CI job summary). \
            Exits 0 without a regression, 1 with one, 64 for bad arguments, 65 when a folder is not a report.
            """
    )

    @Argument(help: "The baseline report folder (a previous run's --out).")
    var baseline: String

    @Argument(help: "The current report folder.")
    var current: String

    @Option(name: .customLong("max-regression"), help: "How much worse a figure may get: a percentage and/or a duration.")
    var maxRegression = "10%,50ms"

    func run() throws {
        let thresholds: RegressionThresholds
        do {
            thresholds = try RegressionThresholds(parsing: maxRegression)
        } catch {
            throw ValidationError(error.description)
        }
        let comparison: BaselineComparison
        do {
            comparison = BaselineComparison(
                baseline: try ReportResults(folder: baseline), current: try ReportResults(folder: current),
                thresholds: thresholds)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(65)
        }
        print(comparison.markdown, terminator: "")
        if comparison.hasRegression { throw ExitCode(1) }
    }
}
