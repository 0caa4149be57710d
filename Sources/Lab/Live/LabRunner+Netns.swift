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
        capture: Bool = false, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async -> RunResults {
        let jobs = planned.plan.jobs
        let scenarios = planned.plan.scenarios
        let external = scenarios.map { externalRuns(of: $0, options: planned.options) }
        let total = jobs.count + external.map(\.count).reduce(0, +)
        let network = LiveNetworkChoice.netns(launcher, hostNamespace: hostNamespace)
        var records: [RunRecord] = []
        // As on loopback: each worker writes its capture (the namespace's whole lo) into a private
        // folder, read back into the record, so the report stays atomic.
        let folder = capture ? LiveCaptureFolder.make() : nil
        defer { folder?.remove() }
        var captureUnavailable: String?
        if capture, folder == nil { captureUnavailable = "no temporary folder for captures could be created" }
        for (scenarioIndex, scenario) in scenarios.enumerated() {
            for job in jobs where job.scenarioIndex == scenarioIndex {
                let capturePath = folder?.path(for: job.index)
                var record = await executeLive(job, network: network.name) { () async throws(LiveRunError) -> LiveRunResult in
                    try await network.run(job, bound: bound, capturePath: capturePath)
                }
                if case .success(let measured) = record.measurement, let failure = measured.captureFailure {
                    captureUnavailable = captureUnavailable ?? failure
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
        var results = RunResults(scenarios: scenarios, records: records)
        if let captureUnavailable { results.notes.append("no packet capture for the netns runs: \(captureUnavailable)") }
        return results
    }

    /// What a namespace run may take beyond its bound: setting up and tearing down the namespace,
    /// the server and the rules, and the losers' settling time.
    static let setupAllowance: Duration = .seconds(30)
}
