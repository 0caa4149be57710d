/// Where each run's files go inside the report directory.
///
/// Capture names come from scenario and policy names, which are untrusted, so they are slugged
/// (see `FileName`) and made unique: two scenarios whose names slug alike get `-2`, `-3`, … rather
/// than overwriting each other's captures.
package struct ReportLayout {
    /// The capture's file name inside `pcap/`, by scenario index and run index; absent for runs
    /// without packets or a live capture.
    private(set) var pcapNames: [RunKey: String] = [:]

    struct RunKey: Hashable {
        var scenario: Int
        var run: Int
    }

    package init(_ input: ReportInput) {
        var used = Set<String>()
        for (scenarioIndex, scenario) in input.scenarios.enumerated() {
            for (runIndex, run) in scenario.runs.enumerated() where !run.packets.isEmpty || run.capture != nil {
                let base = FileName.slug(scenario.name, fallback: "scenario") + "--"
                    + FileName.slug(run.policy, fallback: "policy") + "--r\(run.repetition)"
                var name = base + ".pcap"
                var suffix = 2
                while used.contains(name.lowercased()) {
                    name = "\(base)-\(suffix).pcap"
                    suffix += 1
                }
                used.insert(name.lowercased())
                pcapNames[RunKey(scenario: scenarioIndex, run: runIndex)] = name
            }
        }
    }

    package func pcapName(scenario: Int, run: Int) -> String? {
        pcapNames[RunKey(scenario: scenario, run: run)]
    }
}
