import Reports

extension Population {
    /// The scenarios as `run --population` runs them: the members' scenarios in the file's order.
    package var scenarios: [Scenario] { members.map(\.scenario) }

    /// The weighted figures of a `run --population`: each policy that ran in every member scenario
    /// (`results.scenarios` are the members, in order), over the population as `tune` weighs it.
    package func report(_ results: RunResults) -> PopulationReport {
        let runner = PopulationRunner(population: self, workers: 1)
        var order: [String] = []
        for scenario in results.scenarios {
            for policy in scenario.policies where !order.contains(policy.name) { order.append(policy.name) }
        }
        var rows: [PopulationReport.Row] = []
        var partial: [String] = []
        let repetitions = results.scenarios.map { max(1, $0.repetitions) }
        for name in order {
            guard results.scenarios.allSatisfy({ $0.policies.contains { $0.name == name } }), Set(repetitions).count == 1,
                let policy = results.scenarios.first?.policies.first(where: { $0.name == name })
            else {
                partial.append(name)
                continue
            }
            var jobs: [[RunRecord]] = []
            for member in members.indices {
                let records = results.records.filter { $0.scenarioIndex == member && $0.policy == name }
                var byJob: [Int: [RunRecord]] = [:]
                for record in records { byJob[record.index, default: []].append(record) }
                jobs += byJob.keys.sorted().compactMap { byJob[$0] }
            }
            guard jobs.count == members.count * repetitions[0] else {
                partial.append(name)
                continue
            }
            let evaluation = runner.figures(policy, repetitions: repetitions[0], records: jobs)
            rows.append(PopulationReport.Row(
                policy: name, objective: TuneReport.ms(evaluation.objective), median: TuneReport.ms(evaluation.median),
                failureRate: TuneReport.ratio(evaluation.failureRate), serverConnections: TuneReport.ratio(evaluation.serverConnectionsPerClient),
                peak: TuneReport.ratio(evaluation.peakConnectionsPerClient)))
        }
        return PopulationReport(
            file: file, objective: objective.rawValue,
            method: "Weighted over the population's scenarios by their weights (normalised); a failed connect counts as its time to fail plus \(PolicySpace.text(failureCost)).",
            members: members.map { PopulationReport.Member(scenario: $0.scenario.name, weight: Self.percent($0.weight)) },
            rows: rows, partial: partial)
    }

    static func percent(_ share: Double) -> String {
        let text = String(format: "%.2f", share * 100)
        let trimmed = text.hasSuffix(".00") ? String(text.dropLast(3)) : (text.hasSuffix("0") ? String(text.dropLast()) : text)
        return trimmed + "%"
    }
}
