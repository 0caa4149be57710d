import Connector
import LiveNet

extension LabRunner {
    /// Runs a plan with `--network netns`: each run in a private network namespace of its own,
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
        var records: [RunRecord] = []
        for job in jobs {
            let network = LiveNetworkChoice.netns(launcher, hostNamespace: hostNamespace)
            let record = await executeLive(job, network: network.name) { () async throws(LiveRunError) -> LiveRunResult in
                try await network.run(job, bound: bound)
            }
            records.append(record)
            progress(RunProgress(finished: records.count, total: jobs.count, record: record))
        }
        return RunResults(scenarios: planned.plan.scenarios, records: records)
    }

    /// What a namespace run may take beyond its bound: setting up and tearing down the namespace,
    /// the server and the rules, and the losers' settling time.
    static let setupAllowance: Duration = .seconds(30)
}
