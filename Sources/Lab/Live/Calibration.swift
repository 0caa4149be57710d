import Connector
import LiveNet
import NetSim
import RunCore

/// `calibrate`: each scenario × policy simulated and live (on loopback, or with `--network netns` in
/// a private namespace per run), with the same seed, compared run by run. The simulation is only worth trusting where the two agree.
///
/// Only runs that are short enough are run live: the simulated run must decide within
/// `maximumDuration` (OS connect timeouts of 21 s or 127 s would make a live calibration take
/// minutes), and the scenario must be one the loopback network reproduces
/// (`Scenario.liveLimitations`). Everything else is listed as skipped, with the reason.
package struct Calibration: Sendable {
    /// A run left out of the live side, and why.
    package struct Skipped: Sendable, Hashable {
        package var scenario: String
        package var policy: String
        package var reason: String
    }

    package var rows: [CalibrationRow]
    /// Lossy or jittery scenarios on the netns network: distributions, not runs, compared.
    package var distributions: [DistributionRow] = []
    package var skipped: [Skipped]
    /// The median time of a live connect on loopback with no latency and no firewall, measured before
    /// the first row: the machine's CPU time for a handshake and connect, which the simulation does
    /// not model. Each row measures its own again just before its live runs.
    package var processingBaseline: Duration

    /// Every row agrees.
    package var agrees: Bool { rows.allSatisfy(\.agrees) && distributions.allSatisfy(\.agrees) }

    /// Calibrates the first repetition of every scenario × policy of `planned`.
    /// - Parameters:
    ///   - maximumDuration: the longest simulated time to connect or fail that is run live.
    ///   - progress: called after each live run.
    ///   - liveRepetitions: live runs per row; the row takes their median time (the real clock of a
    ///     shared machine is noisy), and any run whose outcome or winner differs from the simulated one.
    ///   - network: where the live side runs; with `.netns` each live run is a namespace of its own
    ///     (the processing baseline is still measured on loopback: it is the machine's CPU time).
    ///   - distributionRepetitions: runs per side of a lossy or jittery scenario on the netns network
    ///     (`DistributionRow`), with the seeds of repetitions 1…N.
    package static func run(
        _ planned: PlannedRun, maximumDuration: Duration = .seconds(5), liveRepetitions: Int = 1,
        network: LiveNetworkChoice = .loopback, distributionRepetitions: Int = 20,
        progress: @escaping @Sendable (Bool) -> Void = { _ in }
    ) async -> Calibration {
        var rows: [CalibrationRow] = []
        var distributions: [DistributionRow] = []
        var skipped: [Skipped] = []
        let baseline = await measureBaseline()
        for job in planned.plan.jobs where job.repetition == 1 {
            func skip(_ reason: String) {
                skipped.append(Skipped(scenario: job.scenario.name, policy: job.policy.name, reason: reason))
            }
            let limitations = job.scenario.liveLimitations(on: network.name)
            guard limitations.isEmpty else {
                skip(limitations.joined(separator: "; "))
                continue
            }
            if job.scenario.network.isStochastic {
                do throws(SkipReason) {
                    let row = try await distribution(
                        job, repetitions: distributionRepetitions, maximumDuration: maximumDuration, network: network)
                    distributions.append(row)
                    progress(row.agrees)
                } catch {
                    skip(error.reason)
                }
                continue
            }
            let simulation = SimulatedRun(scenario: job.scenario.simulated, policy: job.policy, seed: job.seed, recordTrace: false)
            guard let result = try? simulation.run(), let outcome = result.timeline.outcome,
                let finishedAt = result.timeline.finishedAt
            else {
                skip("the simulated run did not decide")
                continue
            }
            guard finishedAt <= maximumDuration else {
                skip("simulated run takes \(DurationText.describe(finishedAt)), over the live limit of \(DurationText.describe(maximumDuration))")
                continue
            }
            let simulated = CalibrationRow.Side(
                connected: outcome == .connected, time: finishedAt, winner: result.winnerLabel,
                firstFrame: result.timeline.timeToFirstFrame)
            let bound = maximumDuration * 2 + .seconds(5)
            // Measured beside each row: the machine's load changes while calibration runs.
            let rowBaseline = await measureBaseline(warmUp: false)
            var sides: [CalibrationRow.Side] = []
            var failure: RunRecord.RunError?
            for _ in 0..<max(1, liveRepetitions) {
                do {
                    let measured = try await network.run(job, bound: bound)
                    guard let liveOutcome = measured.timeline.outcome, let liveTime = measured.timeline.finishedAt else {
                        failure = RunRecord.RunError(description: "the live run did not decide")
                        break
                    }
                    let handshakes = measured.timeline.attempts.filter { $0.phases[.handshakeDone] != nil }.count
                    sides.append(CalibrationRow.Side(
                        connected: liveOutcome == .connected, time: liveTime, winner: measured.winnerLabel,
                        handshakes: handshakes, firstFrame: measured.timeline.timeToFirstFrame))
                } catch {
                    failure = RunRecord.RunError(description: error.description)
                    break
                }
            }
            let live: Result<CalibrationRow.Side, RunRecord.RunError>
            if let failure {
                live = .failure(failure)
            } else if let odd = sides.first(where: {
                $0.connected != simulated.connected || $0.winner != simulated.winner
                    || ($0.firstFrame == nil) != (simulated.firstFrame == nil)
            }) {
                live = .success(odd)
            } else {
                let times = sides.map(\.time).sorted()
                let frames = sides.compactMap(\.firstFrame).sorted()
                live = .success(CalibrationRow.Side(
                    connected: simulated.connected, time: times[times.count / 2], winner: simulated.winner,
                    handshakes: sides.map(\.handshakes).max() ?? 0, firstFrame: frames.isEmpty ? nil : frames[frames.count / 2]))
            }
            let row = CalibrationRow(
                scenario: job.scenario.name, policy: job.policy.name, seed: job.seed, simulated: simulated, live: live,
                processingBaseline: rowBaseline)
            rows.append(row)
            progress(row.agrees)
        }
        var calibration = Calibration(rows: rows, skipped: skipped, processingBaseline: baseline)
        calibration.distributions = distributions
        return calibration
    }

    /// Why a scenario × policy was left out.
    struct SkipReason: Error {
        var reason: String
    }

    /// A lossy or jittery scenario × policy: `repetitions` simulated runs and as many live ones, with
    /// the seeds of repetitions 1…N. Left out when its simulated median is over `maximumDuration`.
    private static func distribution(
        _ job: RunJob, repetitions: Int, maximumDuration: Duration, network: LiveNetworkChoice
    ) async throws(SkipReason) -> DistributionRow {
        let jobs = (1...max(1, repetitions)).map { repetition in
            var copy = job
            copy.repetition = repetition
            copy.seed = RunSeeds.run(scenarioSeed: job.scenario.seed, policy: job.policy.name, repetition: repetition)
            return copy
        }
        var simulated: [Double] = []
        var simulatedConnected = 0
        for copy in jobs {
            let run = SimulatedRun(scenario: copy.scenario.simulated, policy: copy.policy, seed: copy.seed, recordTrace: false)
            guard let result = try? run.run(), let finishedAt = result.timeline.finishedAt else {
                throw SkipReason(reason: "a simulated run (repetition \(copy.repetition)) did not decide")
            }
            simulated.append(Double(finishedAt.nanosecondsClamped) / 1e6)
            if result.timeline.outcome == .connected { simulatedConnected += 1 }
        }
        simulated.sort()
        let median = DistributionRow.quantile(simulated, 0.5)
        guard median <= Double(maximumDuration.nanosecondsClamped) / 1e6 else {
            throw SkipReason(reason: "simulated median takes \(DurationText.describe(.milliseconds(median))), over the live limit of \(DurationText.describe(maximumDuration))")
        }
        // Long enough for the slowest simulated run twice over: a lost SYN's backoff is in the tail.
        let bound: Duration = max(.seconds(30), .milliseconds((simulated.last ?? 0) * 2))
        let baseline = await measureBaseline(warmUp: false)
        var live: [Double] = []
        var liveConnected = 0
        var failure: RunRecord.RunError?
        for copy in jobs {
            do {
                let measured = try await network.run(copy, bound: bound)
                guard let finishedAt = measured.timeline.finishedAt else {
                    failure = RunRecord.RunError(description: "live run \(copy.repetition) did not decide")
                    break
                }
                live.append(Double(finishedAt.nanosecondsClamped) / 1e6)
                if measured.timeline.outcome == .connected { liveConnected += 1 }
            } catch {
                failure = RunRecord.RunError(description: "live run \(copy.repetition): \(error)")
                break
            }
        }
        var row = DistributionRow(
            scenario: job.scenario.name, policy: job.policy.name, simulated: simulated,
            live: failure.map { .failure($0) } ?? .success(live.sorted()), simulatedConnected: simulatedConnected,
            liveConnected: liveConnected, clientOS: job.scenario.client.os.rawValue,
            lossy: job.scenario.network.meanLoss > 0)
        row.processingBaseline = baseline
        return row
    }

    /// The baseline's URL: an open network's default port.
    private static let warmUpURL = try! ConnectURL(parsing: "rtmp://media.example.com/live")

    /// Median of three live connects to an open loopback server with no latency, after one discarded
    /// run that pays the process's one-time costs (event loop threads, lazy initialisation).
    static func measureBaseline(warmUp: Bool = true) async -> Duration {
        let run = LiveRun(scenario: LiveScenario(urls: [Self.warmUpURL]), policy: Preset.flashBuiltin.policy, seed: 1, bound: .seconds(10))
        if warmUp { _ = try? await run.run() }
        var times: [Duration] = []
        for _ in 0..<3 {
            if let time = try? await run.run().timeToConnect { times.append(time) }
        }
        guard !times.isEmpty else { return .zero }
        return times.sorted()[times.count / 2]
    }
}
