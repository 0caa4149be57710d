/// One scenario's runs reduced to what the report's summaries show: a `PolicySummary` per policy,
/// in order of first appearance, what the firewall and proxy did, and the oracle per repetition.
/// Gathered one run at a time (issue 13); the runs themselves go to the streamed files.
struct ScenarioSummary {
    /// The scenario's header: name, description, conditions (its `runs` are not used).
    let scenario: ScenarioReport
    private(set) var policies: [PolicySummary] = []
    private var policyIndex: [String: Int] = [:]
    /// How many runs the scenario had, and how many expectation checks they made and failed.
    private(set) var runCount = 0
    private(set) var connectedCount = 0
    private(set) var expectationsChecked = 0
    private(set) var expectationsFailed = 0
    /// Every firewall and proxy decision of every run, counted by actor and action.
    private(set) var events = OrderedTally()
    /// Per repetition, the fastest of its runs' oracles (a policy's oracle covers only that
    /// policy's candidates): one entry per repetition, not per run, since runs come policy by
    /// policy and a repetition's fastest is known only after the scenario's last policy. Kept as
    /// plain arrays indexed by repetition (22 bytes a repetition; a dictionary of `OracleResult`s
    /// took about 70 and was the suite's memory growth at `--repeat 10000`, issue 13).
    private var fastestOracle = FastestOracles()

    init(_ scenario: ScenarioReport) {
        self.scenario = scenario
    }

    /// Adds the scenario's run number `index` (0-based).
    mutating func add(_ run: RunReport, index: Int, pcap: String?) {
        runCount += 1
        if run.timeToConnect != nil { connectedCount += 1 }
        expectationsChecked += run.expectations.count
        expectationsFailed += run.expectations.count { !$0.passed }
        for event in run.networkEvents { events.add(Self.eventKey(event)) }
        if let oracle = run.oracle { fastestOracle.add(oracle, repetition: run.repetition) }
        if let position = policyIndex[run.policy] {
            policies[position].add(run, index: index, pcap: pcap)
        } else {
            policyIndex[run.policy] = policies.count
            var summary = PolicySummary(policy: run.policy)
            summary.add(run, index: index, pcap: pcap)
            policies.append(summary)
        }
    }

    /// Whether any policy ran more than once: the report then shows distributions.
    var isRepeated: Bool { scenario.repeatCount > 1 || policies.contains { $0.runCount > 1 } }

    /// The scenario's oracle: the median over repetitions of each repetition's fastest oracle, with
    /// the candidate that first reached the highest count of repetitions it was fastest in.
    var oracle: (time: Duration?, candidate: String?) {
        let oracles = fastestOracle.inOrderOfFirstAppearance
        var counts: [String: Int] = [:]
        var candidate: String?
        for oracle in oracles {
            counts[oracle.candidate, default: 0] += 1
            if candidate == nil || (counts[oracle.candidate] ?? 0) > (counts[candidate ?? ""] ?? 0) {
                candidate = oracle.candidate
            }
        }
        return (Statistics(oracles.map(\.timeToConnect)).percentile(50), candidate)
    }

    /// An event's key in the tally: its actor and action.
    static func eventKey(_ event: NetworkEvent) -> String {
        event.actor.token + "\u{0}" + event.action
    }
}
