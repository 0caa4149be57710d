import Foundation
import Testing
@testable import Lab

/// The comparison's decisions on runs given directly: exact for single runs, the bootstrap's interval
/// with the thresholds otherwise, and everything a pair reports besides.
@Suite struct BaselineComparisonTests {
    static func runs(_ times: [Double?], policy: String = "p", winner: String = "rtmp:443", peak: Double? = 1) -> [ReportResults.Run] {
        times.map { time in
            ReportResults.Run(
                scenario: "s", policy: policy, network: "sim", connected: time != nil, timeToConnect: time,
                winner: time == nil ? "" : winner, serverConnections: 1, serverPeak: peak)
        }
    }

    static func compare(_ old: [ReportResults.Run], _ new: [ReportResults.Run], _ thresholds: RegressionThresholds = .default) -> BaselineComparison {
        BaselineComparison(
            baseline: ReportResults(folder: "old", runs: old), current: ReportResults(folder: "new", runs: new),
            thresholds: thresholds)
    }

    @Test func oneRunASideComparesExactlyAgainstBothThresholds() throws {
        // 10 % of 400 ms is 40 ms: the 50 ms threshold is the larger and decides.
        #expect(!Self.compare(Self.runs([400]), Self.runs([449])).hasRegression)
        let slower = Self.compare(Self.runs([400]), Self.runs([451]))
        #expect(slower.hasRegression)
        let median = try #require(slower.pairs.first?.median)
        #expect(median.interval == nil && median.regressed)
        // 10 % of 21 s is 2.1 s: now the percentage decides.
        #expect(!Self.compare(Self.runs([21_000]), Self.runs([23_000])).hasRegression)
        #expect(Self.compare(Self.runs([21_000]), Self.runs([23_200])).hasRegression)
    }

    @Test func aClearShiftRegressesAndNoiseDoesNot() throws {
        let base = (0..<30).map { Double(400 + ($0 * 37) % 60) }
        let shifted = base.map { $0 + 200 }
        let comparison = Self.compare(Self.runs(base), Self.runs(shifted))
        let median = try #require(comparison.pairs.first?.median)
        #expect(median.regressed)
        #expect(try #require(median.interval).lowerBound > 0)
        #expect(comparison.pairs.first?.regressions.first?.hasPrefix("median time to connect 428.5 → 628.5 ms (+200 ms; 95% interval +") == true)
        // The same values in another order: nothing moved.
        #expect(!Self.compare(Self.runs(base), Self.runs(base.reversed())).hasRegression)
    }

    @Test func aWideSpreadIsNotAClearRegressionEvenWhenTheMedianMoved() throws {
        // Half the runs wait out a 3 s timeout on either side; the medians differ by chance.
        let base = (0..<30).map { $0 % 2 == 0 ? 300.0 : 3_300.0 + Double($0) }
        let current = (0..<30).map { $0 % 2 == 1 ? 300.0 : 3_300.0 + Double($0) }
        #expect(!Self.compare(Self.runs(base), Self.runs(current)).hasRegression)
    }

    @Test func failuresCountInPointsAndAWinnerChangeIsReportedNotJudged() throws {
        let base = Self.runs(Array(repeating: 400, count: 20))
        let current = Self.runs(Array(repeating: 400, count: 14) + Array(repeating: nil, count: 6), winner: "rtmpt:80")
        let comparison = Self.compare(base, current)
        let pair = try #require(comparison.pairs.first)
        #expect(pair.failureRate.regressed, "0 % → 30 %")
        #expect(pair.baselineWinner == "rtmp:443" && pair.currentWinner == "rtmpt:80")
        #expect(pair.regressions == ["failure rate 0% → 30%"])
        #expect(comparison.markdown.contains("Winner changed (not judged): s / p (rtmp:443 → rtmpt:80)"))
    }

    @Test func theServersPeakComparesExactly() throws {
        let comparison = Self.compare(Self.runs([400, 400], peak: 10), Self.runs([400, 400], peak: 12))
        #expect(comparison.pairs.first?.regressions == ["server peak 10 → 12"])
        #expect(!Self.compare(Self.runs([400], peak: 10), Self.runs([400], peak: 11)).hasRegression)
        #expect(Self.compare(Self.runs([400], peak: nil), Self.runs([400], peak: 11)).pairs.first?.serverPeak == nil)
    }

    @Test func pairsInOneReportOnlyAreListedNotAnError() {
        let comparison = Self.compare(Self.runs([400], policy: "gone"), Self.runs([400], policy: "new"))
        #expect(comparison.pairs.isEmpty && !comparison.hasRegression)
        #expect(comparison.markdown.contains("Only in the baseline: s / gone"))
        #expect(comparison.markdown.contains("Only in the current report: s / new"))
    }

    @Test func thresholdsParse() throws {
        #expect(try RegressionThresholds(parsing: "10%,50ms") == .default)
        #expect(try RegressionThresholds(parsing: "200ms, 5%") == RegressionThresholds(relative: 0.05, absolute: .milliseconds(200)))
        #expect(try RegressionThresholds(parsing: "5%") == RegressionThresholds(relative: 0.05, absolute: .milliseconds(50)))
        #expect(try RegressionThresholds(parsing: "1s").absolute == .seconds(1))
        for bad in ["", "10", "%", "10%,20%", "fast", "1s,2s,3%", "-5%"] {
            #expect(throws: ThresholdError.self, "\(bad)") { try RegressionThresholds(parsing: bad) }
        }
    }
}
