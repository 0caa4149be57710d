/// One policy's runs under one scenario, reduced to the figures the summaries show, gathered one
/// run at a time so that a report of any number of runs holds only these figures (issue 13).
///
/// With `repeat: 1` every figure is the single run's own; with more repetitions times are
/// nearest-rank percentiles over the runs that connected (see `Statistics`).
struct PolicySummary {
    let policy: String
    /// How many runs of this policy there were.
    private(set) var runCount = 0
    private(set) var connectedCount = 0
    private(set) var connectStatistics = Statistics()
    private(set) var regretStatistics = Statistics()
    private(set) var oracleStatistics = Statistics()
    private var failStatistics = Statistics()
    /// The first run's outcome token: the figure a single run shows.
    private(set) var firstOutcome = ""
    /// The first `HTMLReport.maximumWaterfallsPerPolicy` runs, for the page's waterfalls, without
    /// their packets (a capture goes to `pcap/`, never into the page).
    private(set) var drawn: [DrawnRun] = []
    private var winners = OrderedTally()
    private var oracleCandidates = OrderedTally()
    private var sawPass = false
    private var sawFail = false
    private var attempts = IntRange()
    private var connections = IntRange()
    private var handshakes = IntRange()
    private var wasted = IntRange()
    /// The most connections (handshakes) open at the server at one instant in any of the policy's
    /// runs: a herd's size times what the policy keeps in flight. `nil` when no run observed it
    /// (live runs).
    private(set) var peakConnections: Int?
    private(set) var peakHandshakes: Int?

    /// A run kept for drawing: its place in the scenario's runs and its capture's name.
    struct DrawnRun {
        var index: Int
        var run: RunReport
        var pcap: String?
    }

    init(policy: String) {
        self.policy = policy
    }

    /// Adds the scenario's run number `index` (0-based, in the scenario's order).
    mutating func add(_ run: RunReport, index: Int, pcap: String?) {
        runCount += 1
        if runCount == 1 { firstOutcome = run.outcomeToken }
        if let time = run.timeToConnect {
            connectedCount += 1
            connectStatistics.add(time)
        }
        if let time = run.timeToFail { failStatistics.add(time) }
        if let regret = run.regret { regretStatistics.add(regret) }
        if let oracle = run.oracle {
            oracleStatistics.add(oracle.timeToConnect)
            oracleCandidates.add(oracle.candidate)
        }
        if let winner = run.winner { winners.add(winner) }
        switch run.expectationVerdict {
        case "pass": sawPass = true
        case "fail": sawFail = true
        default: break
        }
        attempts.add(run.attempts.count)
        connections.add(run.cost.connectionsAccepted)
        handshakes.add(run.cost.handshakesCompleted)
        wasted.add(run.cost.wastedConnections)
        if let peak = run.cost.peakConnections { peakConnections = max(peakConnections ?? peak, peak) }
        if let peak = run.cost.peakHandshakes { peakHandshakes = max(peakHandshakes ?? peak, peak) }
        if drawn.count < HTMLReport.maximumWaterfallsPerPolicy {
            var kept = run
            kept.packets = []
            kept.capture = nil
            drawn.append(DrawnRun(index: index, run: kept, pcap: pcap))
        }
    }

    var failedCount: Int { runCount - connectedCount }

    /// The typical time to connect: the run's own, or the median over repetitions.
    var typicalTimeToConnect: Duration? { connectStatistics.percentile(50) }
    /// The typical time to fail, when no run connected.
    var typicalTimeToFail: Duration? { failStatistics.percentile(50) }
    var typicalRegret: Duration? { regretStatistics.percentile(50) }
    var typicalOracle: Duration? { oracleStatistics.percentile(50) }

    /// The oracle's candidate most often fastest.
    var oracleCandidate: String? { oracleCandidates.mostCommon }

    /// The winner most often seen, ties broken by first appearance.
    var commonWinner: String? { winners.mostCommon }

    /// `pass`, `fail` or `none` over every run of the policy.
    var verdict: String { sawFail ? "fail" : sawPass ? "pass" : "none" }

    /// The outcome in words: the single run's token, or how many of the runs connected.
    var outcomeText: String { runCount == 1 ? firstOutcome : "\(connectedCount)/\(runCount) connected" }

    /// Attempts per run: the single value, or `min–max` over repetitions.
    var attemptsText: String { attempts.text }
    var connectionsText: String { connections.text }
    var handshakesText: String { handshakes.text }
    var wastedText: String { wasted.text }

    /// Cost in one phrase: connections accepted, handshakes, wasted, and the peak at one instant.
    var costText: String {
        let peak = peakConnections.map { ", peak \($0) open" } ?? ""
        return "\(connectionsText) conn, \(handshakesText) hs, \(wastedText) wasted\(peak)"
    }

    /// The lowest and highest of a count over the runs.
    private struct IntRange {
        var low: Int?
        var high: Int?

        mutating func add(_ value: Int) {
            low = min(low ?? value, value)
            high = max(high ?? value, value)
        }

        var text: String {
            guard let low, let high else { return "" }
            return low == high ? String(low) : "\(low)–\(high)"
        }
    }
}
