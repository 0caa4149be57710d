import Connector
import LiveNet
import RunCore

extension PlannedRun {
    /// Runs per scenario on a live network: its policy runs and its external client runs.
    package var liveRunsPerScenario: [Int] {
        plan.scenarios.enumerated().map { index, scenario in
            plan.jobs.filter { $0.scenarioIndex == index }.count
                + LabRunner.externalRuns(of: scenario, options: options).count
        }
    }
}

extension LabRunner {
    /// The external client runs a scenario asks for on a live network: one per repetition, after the
    /// scenario's policies, named like the client (`external:rtmpdump`). `--policy` keeps them only
    /// when it names them (or names nothing).
    static func externalRuns(of scenario: Scenario, options: RunOptions) -> [(name: String, repetition: Int)] {
        guard let name = scenario.client.externalClientName else { return [] }
        guard options.policies.isEmpty || options.policies.contains(name) else { return [] }
        return (1...max(1, scenario.repetitions)).map { (name, $0) }
    }

    /// One external client run on its own live network (loopback, or a namespace of its own), as a
    /// record like a policy's. Only entries
    /// naming the client itself are checked against it (`"*"` means every *policy*).
    static func executeExternal(
        _ scenario: Scenario, scenarioIndex: Int, repetition: Int, index: Int, network: LiveNetworkChoice = .loopback
    ) async -> RunRecord {
        let name = scenario.client.externalClientName ?? ClientCommand.rowPrefix
        let seed = RunSeeds.run(scenarioSeed: scenario.seed, policy: name, repetition: repetition)
        var record = RunRecord(
            unrun: scenario, policy: name, repetition: repetition, seed: seed, index: index,
            scenarioIndex: scenarioIndex, on: network.name)
        guard scenario.liveLimitations(on: network.name).isEmpty else { return record }
        guard let text = scenario.client.command else { return record }
        let command: ClientCommand
        do {
            command = try ClientCommand(parsing: text)
        } catch {
            record.measurement = .failure(RunRecord.RunError(description: error.description))
            return record
        }
        do {
            let result: ExternalClientResult
            switch network {
            case .loopback:
                let run = ExternalClientRun(scenario: scenario.live, command: command, timeout: scenario.client.timeout, seed: seed)
                result = try await run.run()
            case .netns(let launcher, let hostNamespace):
                // The worker loads the file again and runs the client inside its namespace.
                var request = NamespaceRunRequest(
                    file: scenario.file, scenario: scenario.name, policy: name, seed: seed, bound: scenario.client.timeout,
                    hostNamespace: hostNamespace)
                request.external = true
                result = try await launcher.run(
                    arguments: request.arguments, timeout: scenario.client.timeout + .seconds(5) + setupAllowance)
            }
            let timeline = result.timeline
            guard timeline.outcome != nil, timeline.finishedAt != nil else { return record }
            record.measurement = .success(RunRecord.Measured(timeline: timeline, synTimes: [:], oracle: nil, packets: []))
            record.external = result
            record.checkExpectations(of: scenario)
        } catch {
            record.measurement = .failure(RunRecord.RunError(description: "\(error)"))
        }
        return record
    }
}
