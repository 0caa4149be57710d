import Connector
import LiveNet

extension LabRunner {
    /// The plan on the network a command chose: simulated (`nil`, in parallel on `--jobs` workers), or
    /// live, one run at a time, each bounded by `bound` and captured when asked. The command line's one
    /// way into a run, whatever the network.
    /// `emit` receives every run in plan order (see `run(_:progress:emit:)`); a live plan's runs are
    /// handed over once it has run (they are few, and run one at a time).
    package static func run(
        _ planned: PlannedRun, on network: LiveNetworkChoice?, bound: Duration, capture: Bool,
        progress: @escaping @Sendable (RunProgress) -> Void = { _ in }, emit: @escaping @Sendable (RunRecord) -> Void
    ) async -> RunResults {
        guard let network else { return await run(planned, progress: progress, emit: emit) }
        let results = await runOnLiveNetwork(planned, network: network, bound: bound, capture: capture, progress: progress)
        for record in results.records { emit(record) }
        return results
    }

    /// The plan on `network`, one run at a time (parallel runs would share the machine's clock and
    /// skew each other's timings): each scenario's policies, then its external client. Each run is
    /// bounded by `bound`; a scenario no live network reproduces is reported as an error with the
    /// reason, not run.
    ///
    /// On loopback everything runs in this process. On netns each run (and each run of a scenario's
    /// external client, with the URL as written and the real ports) runs in a private network
    /// namespace of its own, created for it by the choice's launcher (our own executable as the
    /// worker) and destroyed when it ends; call `NamespaceLauncher.probe()` first, or a machine
    /// without namespaces reports the same error for every run.
    ///
    /// Live runs have no oracle: the fastest single candidate would need one more live run per
    /// candidate, some of them waiting out an OS connect timeout.
    static func runOnLiveNetwork(
        _ planned: PlannedRun, network: LiveNetworkChoice, bound: Duration, capture: Bool,
        progress: @escaping @Sendable (RunProgress) -> Void
    ) async -> RunResults {
        let jobs = planned.jobs
        let scenarios = planned.plan.scenarios
        let external = scenarios.map { externalRuns(of: $0, options: planned.options) }
        let total = jobs.count + external.map(\.count).reduce(0, +)
        var records: [RunRecord] = []
        // Captures are written by libpcap (on loopback, or by each netns worker on its namespace's
        // lo) into a private folder first and read back into the record; the report writer puts them
        // into its staging folder, so the report stays atomic.
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
            // The scenario's external client, after its policies (in a namespace of its own on netns).
            for run in external[scenarioIndex] {
                let record = await executeExternal(
                    scenario, scenarioIndex: scenarioIndex, repetition: run.repetition, index: records.count,
                    network: network)
                records.append(record)
                progress(RunProgress(finished: records.count, total: total, record: record))
            }
        }
        var results = planned.results(records)
        // Said once for the whole command, not once per run.
        if let captureUnavailable {
            let runs = switch network {
            case .loopback: "live runs"
            case .netns: "netns runs"
            }
            results.notes.append("no packet capture for the \(runs): \(captureUnavailable)")
        }
        return results
    }

    /// What a namespace run may take beyond its bound: setting up and tearing down the namespace,
    /// the server and the rules, and the losers' settling time (the worker's process is killed after
    /// the run's bound plus this).
    static let setupAllowance: Duration = .seconds(30)

    /// One live run on `network`: refuses a scenario no live network reproduces, runs `body`, and
    /// checks the scenario's expectations against what it measured.
    static func executeLive(
        _ job: RunJob, network: NetworkName, _ body: () async throws(LiveRunError) -> LiveRunResult
    ) async -> RunRecord {
        var record = RunRecord(
            unrun: job.scenario, policy: job.policy.name, repetition: job.repetition, seed: job.seed,
            index: job.index, scenarioIndex: job.scenarioIndex, on: network)
        guard job.scenario.liveLimitations(on: network).isEmpty else { return record }
        do {
            let result = try await body()
            guard result.timeline.outcome != nil, result.timeline.finishedAt != nil else {
                record.measurement = .failure(RunRecord.RunError(description: "the live run ended without connecting or failing"))
                return record
            }
            var measured = RunRecord.Measured(timeline: result.timeline, synTimes: result.synTimes, oracle: nil, packets: [])
            switch result.capture.map(LiveCaptureFolder.read) {
            case .success(let bytes): measured.capture = bytes
            case .failure(let failure): measured.captureFailure = failure.description
            case nil: break
            }
            record.measurement = .success(measured)
            record.checkExpectations(of: job.scenario)
        } catch {
            record.measurement = .failure(RunRecord.RunError(description: error.description))
        }
        return record
    }
}
