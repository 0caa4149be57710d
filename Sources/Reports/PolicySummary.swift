/// One policy's runs under one scenario, reduced to the figures the summaries show.
///
/// With `repeat: 1` every figure is the single run's own; with more repetitions times are
/// nearest-rank percentiles over the runs that connected (see `Statistics`).
struct PolicySummary {
    let policy: String
    /// The runs, in input order, with their index in the scenario's `runs`.
    let runs: [(index: Int, run: RunReport)]
    let connectStatistics: Statistics
    let regretStatistics: Statistics
    let oracleStatistics: Statistics

    init(policy: String, runs: [(index: Int, run: RunReport)]) {
        self.policy = policy
        self.runs = runs
        // Closures, not key paths: AddressSanitizer reports an overlapping memcpy inside the Swift
        // runtime's projection of a key path through a tuple element (`\.run.oracle?.timeToConnect`).
        connectStatistics = Statistics(runs.compactMap { $0.run.timeToConnect })
        regretStatistics = Statistics(runs.compactMap { $0.run.regret })
        oracleStatistics = Statistics(runs.compactMap { $0.run.oracle?.timeToConnect })
    }

    /// Groups a scenario's runs by policy, policies in order of first appearance.
    static func group(_ scenario: ScenarioReport) -> [PolicySummary] {
        var order: [String] = []
        var byPolicy: [String: [(index: Int, run: RunReport)]] = [:]
        for (index, run) in scenario.runs.enumerated() {
            if byPolicy[run.policy] == nil { order.append(run.policy) }
            byPolicy[run.policy, default: []].append((index, run))
        }
        return order.map { PolicySummary(policy: $0, runs: byPolicy[$0] ?? []) }
    }

    var connectedCount: Int { runs.count { $0.run.timeToConnect != nil } }
    var failedCount: Int { runs.count - connectedCount }

    /// The typical time to connect: the run's own, or the median over repetitions.
    var typicalTimeToConnect: Duration? { connectStatistics.percentile(50) }
    /// The typical time to fail, when no run connected.
    var typicalTimeToFail: Duration? { Statistics(runs.compactMap(\.run.timeToFail)).percentile(50) }
    var typicalRegret: Duration? { regretStatistics.percentile(50) }
    var typicalOracle: Duration? { oracleStatistics.percentile(50) }

    /// The oracle's candidate most often fastest.
    var oracleCandidate: String? { Self.mostCommon(runs.compactMap(\.run.oracle?.candidate)) }

    /// The winner most often seen, ties broken by first appearance.
    var commonWinner: String? { Self.mostCommon(runs.compactMap(\.run.winner)) }

    /// `pass`, `fail` or `none` over every run of the policy.
    var verdict: String {
        let verdicts = runs.map { $0.run.expectationVerdict }
        if verdicts.contains("fail") { return "fail" }
        return verdicts.contains("pass") ? "pass" : "none"
    }

    /// Attempts per run: the single value, or `min–max` over repetitions.
    var attemptsText: String { Self.rangeText(runs.map { $0.run.attempts.count }) }
    var connectionsText: String { Self.rangeText(runs.map { $0.run.cost.connectionsAccepted }) }
    var handshakesText: String { Self.rangeText(runs.map { $0.run.cost.handshakesCompleted }) }
    var wastedText: String { Self.rangeText(runs.map { $0.run.cost.wastedConnections }) }

    /// The most connections open at the server at one instant in any of the policy's runs: a
    /// herd's size times what the policy keeps in flight. `nil` when no run observed it (live runs).
    var peakConnections: Int? { runs.compactMap { $0.run.cost.peakConnections }.max() }
    /// The most handshakes in progress at the server at one instant in any of the policy's runs.
    var peakHandshakes: Int? { runs.compactMap { $0.run.cost.peakHandshakes }.max() }

    /// Cost in one phrase: connections accepted, handshakes, wasted, and the peak at one instant.
    var costText: String {
        let peak = peakConnections.map { ", peak \($0) open" } ?? ""
        return "\(connectionsText) conn, \(handshakesText) hs, \(wastedText) wasted\(peak)"
    }

    private static func rangeText(_ values: [Int]) -> String {
        guard let low = values.min(), let high = values.max() else { return "" }
        return low == high ? String(low) : "\(low)–\(high)"
    }

    private static func mostCommon(_ values: [String]) -> String? {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for value in values {
            if counts[value] == nil { order.append(value) }
            counts[value, default: 0] += 1
        }
        var best: String?
        for value in order where best == nil || (counts[value] ?? 0) > (counts[best ?? ""] ?? 0) {
            best = value
        }
        return best
    }
}
