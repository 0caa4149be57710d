/// Where each run's files go inside the report directory.
///
/// Capture names come from scenario and policy names, which are untrusted, so they are slugged
/// (see `FileName`) and made unique: two scenarios whose names slug alike get `-2`, `-3`, … rather
/// than overwriting each other's captures. Names are given in the order runs are placed, which is
/// the report's order, so a stream of runs and a whole input name them alike.
package struct ReportLayout {
    /// The capture's file name inside `pcap/`, by scenario index and run index; absent for runs
    /// without packets or a live capture.
    private(set) var pcapNames: [RunKey: String] = [:]
    /// The names given so far, lowercased (file systems that ignore case would merge the others).
    private var used = Set<String>()

    struct RunKey: Hashable {
        var scenario: Int
        var run: Int
    }

    init() {}

    package init(_ input: ReportInput) {
        for (scenarioIndex, scenario) in input.scenarios.enumerated() {
            for (runIndex, run) in scenario.runs.enumerated() {
                place(run, of: scenario.name, scenario: scenarioIndex, run: runIndex)
            }
        }
    }

    /// Names the capture of the scenario's run number `runIndex`, if it has one.
    @discardableResult
    mutating func place(_ run: RunReport, of scenarioName: String, scenario: Int, run runIndex: Int) -> String? {
        guard !run.packets.isEmpty || run.capture != nil else { return nil }
        let base = FileName.slug(scenarioName, fallback: "scenario") + "--"
            + FileName.slug(run.policy, fallback: "policy") + "--r\(run.repetition)"
        var name = base + ".pcap"
        var suffix = 2
        while used.contains(name.lowercased()) {
            name = "\(base)-\(suffix).pcap"
            suffix += 1
        }
        used.insert(name.lowercased())
        pcapNames[RunKey(scenario: scenario, run: runIndex)] = name
        return name
    }

    package func pcapName(scenario: Int, run: Int) -> String? {
        pcapNames[RunKey(scenario: scenario, run: run)]
    }
}
