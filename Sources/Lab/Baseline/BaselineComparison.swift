/// Two reports side by side, scenario × policy: did this release connect slower, fail more, or cost the
/// server more than the baseline? (`fallback-lab compare BASELINE CURRENT`.)
///
/// Per pair it compares the median and p95 time to connect (of the runs that connected), the failure
/// rate, the server's connections per run and its peak, and names the winning candidate on each side.
/// A figure regressed when it grew beyond the thresholds *and* the growth is statistically clear: the
/// 95 % percentile-bootstrap interval of the difference lies above zero (``Bootstrap``). A pair with one
/// run on each side compares exactly. The peak is a maximum, which resampling says nothing about: it
/// compares exactly. A changed winner is reported, not judged: it is often the point of a change.
package struct BaselineComparison: Sendable {
    package struct Key: Sendable, Hashable, Comparable, CustomStringConvertible {
        package var scenario: String
        package var policy: String

        package static func < (a: Key, b: Key) -> Bool { (a.scenario, a.policy) < (b.scenario, b.policy) }
        package var description: String { "\(scenario) / \(policy)" }
    }

    /// One figure of a pair on both sides.
    package struct Figure: Sendable, Equatable {
        package var baseline: Double
        package var current: Double
        /// The 95 % interval of current − baseline; nil when compared exactly.
        package var interval: ClosedRange<Double>?
        package var regressed: Bool

        package var change: Double { current - baseline }
    }

    package struct Pair: Sendable {
        package var key: Key
        package var baselineRuns: Int
        package var currentRuns: Int
        /// Milliseconds, over the runs that connected; nil when a side has none.
        package var median: Figure?
        package var p95: Figure?
        /// 0…1.
        package var failureRate: Figure
        package var serverConnections: Figure
        /// nil when a report has no peak column.
        package var serverPeak: Figure?
        /// The candidate that won most often; empty when none connected.
        package var baselineWinner: String
        package var currentWinner: String

        /// What regressed, in words, for the list under the table.
        package var regressions: [String] {
            var found: [String] = []
            if let median, median.regressed { found.append("median time to connect \(Self.ms(median))") }
            if let p95, p95.regressed { found.append("p95 time to connect \(Self.ms(p95))") }
            if failureRate.regressed {
                found.append("failure rate \(Self.percent(failureRate.baseline)) → \(Self.percent(failureRate.current))")
            }
            if serverConnections.regressed {
                found.append("server connections per run \(Self.number(serverConnections.baseline)) → \(Self.number(serverConnections.current))")
            }
            if let serverPeak, serverPeak.regressed {
                found.append("server peak \(Self.number(serverPeak.baseline)) → \(Self.number(serverPeak.current))")
            }
            return found
        }

        static func ms(_ figure: Figure) -> String {
            var text = "\(number(figure.baseline)) → \(number(figure.current)) ms (\(signed(figure.change)) ms"
            if let interval = figure.interval {
                text += "; 95% interval \(signed(interval.lowerBound))…\(signed(interval.upperBound))"
            }
            return text + ")"
        }

        static func number(_ value: Double) -> String {
            let tenths = (value.magnitude * 10).rounded()
            return (value < 0 && tenths > 0 ? "-" : "") + DurationText.decimal(UInt64(tenths), places: 1)
        }

        static func signed(_ value: Double) -> String {
            value < 0 ? number(value) : "+" + number(value)
        }

        static func percent(_ fraction: Double) -> String {
            RegressionThresholds.percent(fraction)
        }
    }

    package var baselineFolder: String
    package var currentFolder: String
    package var thresholds: RegressionThresholds
    package var pairs: [Pair]
    package var onlyInBaseline: [Key]
    package var onlyInCurrent: [Key]

    package var hasRegression: Bool { pairs.contains { !$0.regressions.isEmpty } }

    package init(baseline: ReportResults, current: ReportResults, thresholds: RegressionThresholds = .default) {
        baselineFolder = baseline.folder
        currentFolder = current.folder
        self.thresholds = thresholds
        let before = Dictionary(grouping: baseline.runs) { Key(scenario: $0.scenario, policy: $0.policy) }
        let after = Dictionary(grouping: current.runs) { Key(scenario: $0.scenario, policy: $0.policy) }
        onlyInBaseline = before.keys.filter { after[$0] == nil }.sorted()
        onlyInCurrent = after.keys.filter { before[$0] == nil }.sorted()
        pairs = before.keys.compactMap { key in
            guard let old = before[key], let new = after[key] else { return nil }
            return Self.pair(key, old, new, thresholds)
        }.sorted { $0.key < $1.key }
    }

    private static func pair(
        _ key: Key, _ old: [ReportResults.Run], _ new: [ReportResults.Run], _ thresholds: RegressionThresholds
    ) -> Pair {
        let oldTimes = old.compactMap { $0.connected ? $0.timeToConnect : nil }
        let newTimes = new.compactMap { $0.connected ? $0.timeToConnect : nil }
        func time(_ statistic: @escaping ([Double]) -> Double) -> Figure? {
            guard !oldTimes.isEmpty, !newTimes.isEmpty else { return nil }
            return figure(oldTimes, newTimes, statistic) { thresholds.allowedIncrease(over: $0) }
        }
        let failures = figure(
            old.map { $0.connected ? 0 : 1 }, new.map { $0.connected ? 0 : 1 }, Bootstrap.mean
        ) { _ in thresholds.relative }
        let connections = figure(old.map(\.serverConnections), new.map(\.serverConnections), Bootstrap.mean) {
            thresholds.relative * $0
        }
        var peak: Figure?
        let oldPeaks = old.compactMap(\.serverPeak)
        let newPeaks = new.compactMap(\.serverPeak)
        if let before = oldPeaks.max(), let after = newPeaks.max() {
            peak = Figure(baseline: before, current: after, interval: nil, regressed: after - before > thresholds.relative * before)
        }
        return Pair(
            key: key, baselineRuns: old.count, currentRuns: new.count, median: time(Bootstrap.median),
            p95: time(Bootstrap.p95), failureRate: failures, serverConnections: connections, serverPeak: peak,
            baselineWinner: winner(old), currentWinner: winner(new))
    }

    /// One figure: exact with one run a side, else the bootstrap's interval decides with the threshold.
    private static func figure(
        _ old: [Double], _ new: [Double], _ statistic: @escaping ([Double]) -> Double, allowed: (Double) -> Double
    ) -> Figure {
        let before = statistic(old)
        let after = statistic(new)
        let beyond = after - before > allowed(before)
        guard old.count > 1 || new.count > 1 else {
            return Figure(baseline: before, current: after, interval: nil, regressed: beyond)
        }
        let interval = Bootstrap.interval(baseline: old, current: new, statistic: statistic)
        return Figure(baseline: before, current: after, interval: interval, regressed: beyond && interval.lowerBound > 0)
    }

    /// The candidate that won most runs (the first by name among equals).
    private static func winner(_ runs: [ReportResults.Run]) -> String {
        var counts: [String: Int] = [:]
        for run in runs where run.connected && !run.winner.isEmpty { counts[run.winner, default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key ?? ""
    }
}
