import Connector
import LiveNet

extension LabRunner {
    /// Runs a plan on the loopback network, one run at a time (parallel runs would share the
    /// machine's clock and skew each other's timings). Each run is bounded by `bound`; a scenario
    /// the loopback network cannot reproduce is reported as an error with the reason, not run.
    ///
    /// Live runs have no oracle: the fastest single candidate would need one more live run per
    /// candidate, some of them waiting out an OS connect timeout.
    public static func runLive(
        _ planned: PlannedRun, bound: Duration, progress: @escaping @Sendable (RunProgress) -> Void = { _ in }
    ) async -> RunResults {
        let jobs = planned.plan.jobs
        var records: [RunRecord] = []
        for job in jobs {
            let record = await executeLive(job, bound: bound)
            records.append(record)
            progress(RunProgress(finished: records.count, total: jobs.count, record: record))
        }
        return RunResults(scenarios: planned.plan.scenarios, records: records)
    }

    /// One live run, start to end, on its own loopback network.
    static func executeLive(_ job: RunJob, bound: Duration) async -> RunRecord {
        var record = RunRecord(
            scenarioName: job.scenario.name, policy: job.policy.name, repetition: job.repetition, seed: job.seed,
            measurement: .failure(RunRecord.RunError(description: "not run")), verdicts: [],
            index: job.index, scenarioIndex: job.scenarioIndex)
        let limitations = job.scenario.liveLimitations
        guard limitations.isEmpty else {
            record.measurement = .failure(RunRecord.RunError(
                description: "cannot run on the loopback network: " + limitations.joined(separator: "; ")))
            return record
        }
        do {
            let result = try await LiveRun(scenario: job.scenario.live, policy: job.policy, seed: job.seed, bound: bound).run()
            guard let outcome = result.timeline.outcome, let finishedAt = result.timeline.finishedAt else {
                record.measurement = .failure(RunRecord.RunError(description: "the live run ended without connecting or failing"))
                return record
            }
            let measured = RunRecord.Measured(timeline: result.timeline, synTimes: result.synTimes, oracle: nil, packets: [])
            record.measurement = .success(measured)
            let measurement = Expectation.Measurement(
                outcome: outcome == .connected ? .connected : .failed, after: finishedAt, winner: measured.winner)
            record.verdicts = job.scenario.expectations
                .filter { $0.policy.matches(job.policy.name) }
                .map { $0.check(measurement) }
        } catch {
            record.measurement = .failure(RunRecord.RunError(description: error.description))
        }
        return record
    }
}
