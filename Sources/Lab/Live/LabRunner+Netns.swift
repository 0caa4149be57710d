import Connector
import LiveNet

extension LabRunner {
    /// Runs a plan with `--network netns`: each run (and each run of a scenario's external client,
    /// with the URL as written and the real ports) in a private network namespace of its own,
    /// created for it by `launcher` (our own executable as the worker) and destroyed when it ends.
    /// Runs are one at a time, as on loopback. Call `NamespaceLauncher.probe()` first: a machine
    /// without namespaces would otherwise report the same error for every run.
    ///
    /// The worker's process gets the run's bound plus `setupAllowance` (namespace, server, rules,
    /// teardown) before it is killed.
    public static func runNetns(
        _ planned: PlannedRun, bound: Duration, launcher: NamespaceLauncher, hostNamespace: UInt64,
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async -> RunResults {
        let jobs = planned.plan.jobs
        let scenarios = planned.plan.scenarios
        let external = scenarios.map { externalRuns(of: $0, options: planned.options) }
        let total = jobs.count + external.map(\.count).reduce(0, +)
        let network = LiveNetworkChoice.netns(launcher, hostNamespace: hostNamespace)
        var records: [RunRecord] = []
        for (scenarioIndex, scenario) in scenarios.enumerated() {
            for job in jobs where job.scenarioIndex == scenarioIndex {
                var record = await executeLive(job, network: network.name) { () async throws(LiveRunError) -> LiveRunResult in
                    try await network.run(job, bound: bound)
                }
                record.index = records.count
                records.append(record)
                progress(RunProgress(finished: records.count, total: total, record: record))
            }
            // The scenario's external client, in a namespace of its own, after its policies.
            for run in external[scenarioIndex] {
                let record = await executeExternal(
                    scenario, scenarioIndex: scenarioIndex, repetition: run.repetition, index: records.count,
                    network: network)
                records.append(record)
                progress(RunProgress(finished: records.count, total: total, record: record))
            }
        }
        return RunResults(scenarios: scenarios, records: records)
    }

    /// What a namespace run may take beyond its bound: setting up and tearing down the namespace,
    /// the server and the rules, and the losers' settling time.
    static let setupAllowance: Duration = .seconds(30)
}
