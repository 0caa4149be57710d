import Connector
import LiveNet
import NetSim

/// `calibrate`: each scenario × policy simulated and live on loopback, with the same seed, compared
/// run by run. The simulation is only worth trusting where the two agree.
///
/// Only runs that are short enough are run live: the simulated run must decide within
/// `maximumDuration` (OS connect timeouts of 21 s or 127 s would make a live calibration take
/// minutes), and the scenario must be one the loopback network reproduces
/// (`Scenario.liveLimitations`). Everything else is listed as skipped, with the reason.
public struct Calibration: Sendable {
    /// A run left out of the live side, and why.
    public struct Skipped: Sendable, Hashable {
        public var scenario: String
        public var policy: String
        public var reason: String
    }

    public var rows: [CalibrationRow]
    public var skipped: [Skipped]

    /// Every row agrees.
    public var agrees: Bool { rows.allSatisfy(\.agrees) }

    /// Calibrates the first repetition of every scenario × policy of `planned`.
    /// - Parameters:
    ///   - maximumDuration: the longest simulated time to connect or fail that is run live.
    ///   - progress: called after each live run.
    public static func run(
        _ planned: PlannedRun, maximumDuration: Duration = .seconds(5),
        progress: @escaping @Sendable (CalibrationRow) -> Void = { _ in }
    ) async -> Calibration {
        var rows: [CalibrationRow] = []
        var skipped: [Skipped] = []
        for job in planned.plan.jobs where job.repetition == 1 {
            func skip(_ reason: String) {
                skipped.append(Skipped(scenario: job.scenario.name, policy: job.policy.name, reason: reason))
            }
            let limitations = job.scenario.liveLimitations
            guard limitations.isEmpty else {
                skip(limitations.joined(separator: "; "))
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
                connected: outcome == .connected, time: finishedAt, winner: result.winnerLabel)
            let live: Result<CalibrationRow.Side, RunRecord.RunError>
            do {
                let run = LiveRun(
                    scenario: job.scenario.live, policy: job.policy, seed: job.seed,
                    bound: maximumDuration * 2 + .seconds(5))
                let measured = try await run.run()
                if let liveOutcome = measured.timeline.outcome, let liveTime = measured.timeline.finishedAt {
                    live = .success(CalibrationRow.Side(
                        connected: liveOutcome == .connected, time: liveTime, winner: measured.winnerLabel))
                } else {
                    live = .failure(RunRecord.RunError(description: "the live run did not decide"))
                }
            } catch {
                live = .failure(RunRecord.RunError(description: error.description))
            }
            let row = CalibrationRow(
                scenario: job.scenario.name, policy: job.policy.name, seed: job.seed, simulated: simulated, live: live)
            rows.append(row)
            progress(row)
        }
        return Calibration(rows: rows, skipped: skipped)
    }
}
