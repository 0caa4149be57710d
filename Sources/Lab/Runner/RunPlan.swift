import Connector
import RunCore

/// Every run a command asked for, in the canonical order: scenarios as given, policies as each scenario
/// lists them, repetitions in order.
struct RunPlan: Sendable {
    var scenarios: [Scenario]
    /// Made one at a time when asked for (see `JobList`).
    var jobs: JobList

    /// A `--policy` name that no scenario runs and no preset has.
    struct UnknownPolicy: Error, Sendable, Hashable, CustomStringConvertible {
        var name: String
        var suggestion: String?
        var description: String {
            "unknown policy '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }

    init(scenarios: [Scenario], options: RunOptions) throws(UnknownPolicy) {
        var known = Set(Preset.all.map(\.name))
        for scenario in scenarios {
            known.formUnion(scenario.policies.map(\.name))
            if let external = scenario.client.externalClientName { known.insert(external) }
        }
        for name in options.policies where !known.contains(name) {
            throw UnknownPolicy(name: name, suggestion: KeySuggestion.nearest(to: name, in: known.sorted()))
        }
        var planned: [Scenario] = []
        for var scenario in scenarios {
            if let seed = options.seed { scenario.seed = seed }
            if let repetitions = options.repetitions { scenario.repetitions = repetitions }
            if !options.policies.isEmpty {
                // Keep the scenario's own policy when it has one of that name (a custom one, or a
                // preset it already lists); otherwise run the preset.
                scenario.policies = options.policies.compactMap { name in
                    scenario.policies.first { $0.name == name } ?? Preset.named(name)?.policy
                }
            }
            planned.append(scenario)
        }
        self.scenarios = planned
        jobs = JobList(scenarios: planned)
    }
}
