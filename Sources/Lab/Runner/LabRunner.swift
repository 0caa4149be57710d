import Connector
import Foundation
import NetSim
import NIOConcurrencyHelpers

/// Runs scenarios on the simulated network: every scenario × policy × repetition, on several workers,
/// results put back in the plan's order so that the number of workers never changes a byte.
package enum LabRunner {
    /// Plans everything `scenarios` and `options` ask for: `--policy`, `--repeat` and `--seed` applied,
    /// every run listed with its seed. Nothing runs yet.
    /// With a `shard`, only that share of the plan's jobs will run (see `RunPlan.shardAssignment`).
    package static func plan(_ scenarios: [Scenario], options: RunOptions, shard: Shard? = nil) throws(RunPlanError) -> PlannedRun {
        do {
            let plan = try RunPlan(scenarios: scenarios, options: options)
            return PlannedRun(
                plan: plan, options: options, shard: shard, jobs: shard.map(plan.jobs(in:)) ?? plan.jobs,
                fingerprint: PlanFingerprint.of(scenarios, options: options))
        } catch {
            throw RunPlanError(description: error.description)
        }
    }

    /// Runs a plan. `progress` is called once per finished run, from whichever worker finished it.
    /// With `emit`, each run is handed to it in plan order as soon as every run before it has
    /// finished, and the results then hold no records (issue 13: a report written as the runs come
    /// in); workers run at most `reorderWindow` jobs ahead of the oldest unfinished one, so the runs
    /// waiting for their turn stay few whatever the plan's size.
    package static func run(
        _ planned: PlannedRun, progress: @escaping @Sendable (RunProgress) -> Void = { _ in },
        emit: (@Sendable (RunRecord) -> Void)? = nil
    ) async -> RunResults {
        let plan = planned.plan
        let options = planned.options
        let jobs = planned.jobs
        let shared = SharedCounters()
        let workers = min(options.jobs, max(jobs.count, 1))
        let recordPackets = options.recordPackets
        let order = PlanOrder(window: reorderWindow(workers: workers), keeping: emit == nil, emit: emit ?? { _ in })
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while let index = shared.claim(below: jobs.count) {
                        await order.waitForTurn(index)
                        let records = execute(jobs[index], recordPackets: recordPackets)
                        let done = shared.finish()
                        for record in records {
                            progress(RunProgress(finished: done, total: jobs.count, record: record))
                        }
                        order.finished(index, records)
                    }
                }
            }
        }
        var results = planned.results(order.kept)
        results.notes = plan.scenarios.compactMap { scenario in
            scenario.client.externalClientName.map {
                "\(scenario.name): \($0) (client.command) runs on live networks only (--network loopback or netns); skipped on the simulated network"
            }
        }
        return results
    }

    /// How many jobs past the oldest unfinished one a worker may start: enough that a slow job
    /// (a herd) rarely holds the others up, few enough that the finished runs waiting behind it
    /// stay a handful.
    static func reorderWindow(workers: Int) -> Int { 16 * max(1, workers) }

    /// One run, start to end, on its own network: nothing is shared with other runs. A scenario with
    /// several clients runs them as one herd behind the same firewall, proxy and access link, and
    /// gives one record per client.
    /// `oracle: false` leaves the oracle out (the tuner does not need it, and it costs a run per candidate).
    static func execute(_ job: RunJob, recordPackets: Bool, oracle withOracle: Bool = true) -> [RunRecord] {
        let run = SimulatedRun(scenario: job.scenario.simulated, policy: job.policy, seed: job.seed, recordTrace: recordPackets)
        let clients = max(1, job.scenario.clients)
        func record(client: Int, _ measurement: Result<RunRecord.Measured, RunRecord.RunError>) -> RunRecord {
            var record = RunRecord(
                scenarioName: job.scenario.name, policy: job.policy.name, repetition: job.repetition, seed: job.seed,
                measurement: measurement, verdicts: [], index: job.index, scenarioIndex: job.scenarioIndex)
            record.client = client
            record.clients = clients
            record.checkExpectations(of: job.scenario)
            return record
        }
        func failure(_ description: String) -> [RunRecord] {
            (1...clients).map { record(client: $0, .failure(RunRecord.RunError(description: description))) }
        }
        let results: [SimulatedRunResult]
        let oracle: RunRecord.Oracle?
        do {
            if clients == 1 {
                results = [try run.run()]
            } else {
                do {
                    results = try run.runHerd(clients: clients)
                } catch {
                    switch error {
                    case .setup(let setup): return failure(setup.description)
                    case .invalidClientCount(let count): return failure("a herd of \(count) clients cannot run")
                    }
                }
            }
            oracle = withOracle ? try self.oracle(of: run) : nil
        } catch {
            return failure(error.description)
        }
        return results.enumerated().map { offset, result in
            guard result.timeline.outcome != nil, result.timeline.finishedAt != nil else {
                return record(client: offset + 1, .failure(RunRecord.RunError(
                    description: "the run ended after \(DurationText.describe(result.simulatedDuration)) of simulated time without connecting or failing")))
            }
            // A herd shares one trace: keep it once, with the first client's record.
            let packets = offset == 0 ? result.trace.packets : []
            return record(client: offset + 1, .success(RunRecord.Measured(
                timeline: result.timeline, synTimes: result.synTimes, oracle: oracle, packets: packets)))
        }
    }
}

extension LabRunner {
    /// The fastest any one of the policy's candidates connects when started alone at t = 0, and which
    /// one it is; `nil` when none connects. Each candidate runs with the same seed as the run itself.
    static func oracle(of run: SimulatedRun) throws(FallbackConnector.SetupError) -> RunRecord.Oracle? {
        let urls: [ConnectURL]
        switch run.scenario.parsedURLs {
        case .success(let parsed): urls = parsed
        case .failure(let error): throw .url(error)
        }
        let candidates: [Candidate]
        do {
            candidates = try FallbackConnector(policy: run.policy, urls: urls).candidates
        } catch {
            throw .policy(error)
        }
        var best: RunRecord.Oracle?
        for candidate in candidates {
            var alone = run
            alone.scenario.setURLs([candidate.connectURL])
            alone.policy = Policy.only(candidate, following: run.policy)
            alone.recordTrace = false
            let result = try alone.run()
            if let time = result.timeToConnect, best.map({ time < $0.timeToConnect }) ?? true {
                best = RunRecord.Oracle(candidate: Transport(candidate), timeToConnect: time)
            }
        }
        return best
    }
}

/// A `--policy` name that is neither a preset nor a policy of any scenario being run.
package struct RunPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    package var description: String
}

/// A checked plan: the scenarios as they will run and every run with its seed.
package struct PlannedRun: Sendable {
    let plan: RunPlan
    let options: RunOptions
    /// The share of the plan that runs, when `--shard` asked for one.
    let shard: Shard?
    /// The jobs that run: all of the plan's, or the shard's, in plan order.
    let jobs: JobList
    /// See `PlanFingerprint`.
    let fingerprint: String

    /// The scenarios as they will run (`--policy`, `--repeat`, `--seed` applied).
    package var scenarios: [Scenario] { plan.scenarios }
    /// How many runs will run (the shard's share with `--shard`).
    package var runCount: Int { jobs.count }

    /// Results of this plan's runs, marked with the plan they belong to.
    func results(_ records: [RunRecord]) -> RunResults {
        var results = RunResults(scenarios: plan.scenarios, records: records)
        results.fingerprint = fingerprint
        results.planJobs = plan.jobs.count
        results.shard = shard
        return results
    }
}

/// Progress of a run command, reported as each run finishes.
package struct RunProgress: Sendable {
    package var finished: Int
    package var total: Int
    package var record: RunRecord
}

/// Puts finished jobs back in plan order: each job's records are handed to `emit` once every job
/// before it has been, and a worker about to start a job more than `window` ahead of the next one
/// to hand over suspends until it is within the window. Workers never wait for a job that has not
/// been claimed: the one they wait for is running on another worker (claims are in order). A
/// waiting worker suspends rather than blocks, so it gives its thread back to the cooperative pool
/// (the job it waits for, or another caller's tasks, may need that thread).
private final class PlanOrder: @unchecked Sendable {
    private let lock = NSLock()
    private let window: Int
    private let keeping: Bool
    private let emit: @Sendable (RunRecord) -> Void
    // Guarded by `lock`.
    private var next = 0
    private var waiting: [Int: [RunRecord]] = [:]
    private var all: [RunRecord] = []
    /// Workers suspended until `next + window` passes their job.
    private var suspended: [(index: Int, continuation: CheckedContinuation<Void, Never>)] = []

    init(window: Int, keeping: Bool, emit: @escaping @Sendable (RunRecord) -> Void) {
        self.window = window
        self.keeping = keeping
        self.emit = emit
    }

    func waitForTurn(_ index: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if index < next + window {
                lock.unlock()
                continuation.resume()
            } else {
                suspended.append((index, continuation))
                lock.unlock()
            }
        }
    }

    /// Hands over `index`'s records and every waiting job's after it, in order. The hand-over
    /// happens under the lock, so records reach `emit` one at a time and in order.
    func finished(_ index: Int, _ records: [RunRecord]) {
        lock.lock()
        waiting[index] = records
        while let ready = waiting.removeValue(forKey: next) {
            // A herd's records in client order, as the report lists them.
            for record in ready.sorted(by: { $0.client < $1.client }) {
                if keeping { all.append(record) } else { emit(record) }
            }
            next += 1
        }
        let limit = next + window
        let released = suspended.filter { $0.index < limit }.map(\.continuation)
        suspended.removeAll { $0.index < limit }
        lock.unlock()
        for continuation in released { continuation.resume() }
    }

    /// The records in plan order, when no `emit` took them.
    var kept: [RunRecord] {
        lock.lock()
        defer { lock.unlock() }
        return all
    }
}

/// The work queue's two counters: the next job to claim and how many have finished.
private final class SharedCounters: Sendable {
    private let next = NIOLockedValueBox(0)
    private let done = NIOLockedValueBox(0)

    func claim(below limit: Int) -> Int? {
        next.withLockedValue { value in
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }

    func finish() -> Int {
        done.withLockedValue { value in
            value += 1
            return value
        }
    }
}
