import Connector
import Foundation
import Reports

/// What `tune` writes: `tuned-policy.yaml`, `tune.json`, `tune.csv` and `index.html`, all from the
/// result alone (no clock, no paths but the population's), so the same seed writes the same bytes.
struct TuneReport {
    let result: Tuner.Result

    static func ms(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        return String(format: "%.3f", value)
    }

    static func ratio(_ value: Double) -> String { String(format: "%.4f", value) }

    static func durationMS(_ duration: Duration?) -> String {
        duration.map { ms(PopulationRunner.milliseconds($0)) } ?? ""
    }

    var objectiveName: String { result.population.objective.rawValue }

    var tunedPolicyYAML: String {
        let tuned = result.tuned
        var text = "# Tuned by `fallback-lab tune \(result.population.file)` (seed \(result.population.seed), \(result.budgetRuns) runs of budget).\n"
        text += "# Holdout, \(result.holdoutRepetitions) repetitions on fresh seeds: \(objectiveName) \(Self.ms(tuned.objective)) ms"
        text += " (95% interval \(Self.ms(tuned.interval.lowerBound))–\(Self.ms(tuned.interval.upperBound)) ms),"
        text += " failure rate \(Self.ratio(tuned.failureRate)), peak \(Self.ratio(tuned.peakConnectionsPerClient)) connections per client,"
        text += " \(Self.ratio(tuned.wastedPerClient)) wasted per client.\n"
        if !result.feasible { text += "# No policy of the search met the budget: this is the least bad one, not a policy within budget.\n" }
        text += "# Paste it into a scenario's policies: (as a list item).\n"
        return text + PolicySpace.yaml(tuned.policy)
    }

    struct EvaluationJSON: Encodable {
        var stage: String
        var policy: String
        var mode: String
        var candidates: [String]
        var staggerMS: Double?
        var attemptTimeoutMS: Double?
        var overallTimeoutMS: Double?
        var advanceOnFailure: Bool
        var retries: Int
        var repetitions: Int
        var runs: Int
        var objectiveMS: Double?
        var intervalMS: [Double]?
        var failureRate: Double
        var peakConnectionsPerClient: Double
        var wastedConnectionsPerClient: Double
        var serverConnectionsPerClient: Double
        var withinBudget: Bool
        var scenarios: [ScenarioJSON]?

        enum CodingKeys: String, CodingKey {
            case stage, policy, mode, candidates, repetitions, runs, retries, scenarios
            case staggerMS = "stagger_ms", attemptTimeoutMS = "attempt_timeout_ms", overallTimeoutMS = "overall_timeout_ms"
            case advanceOnFailure = "advance_on_failure", objectiveMS = "objective_ms", intervalMS = "interval_ms"
            case failureRate = "failure_rate", peakConnectionsPerClient = "peak_connections_per_client"
            case wastedConnectionsPerClient = "wasted_connections_per_client"
            case serverConnectionsPerClient = "server_connections_per_client", withinBudget = "within_budget"
        }
    }

    struct ScenarioJSON: Encodable {
        var name: String
        var weight: Double
        var medianTimeToConnectMS: Double?
        var connected: Int
        var runs: Int
        enum CodingKeys: String, CodingKey {
            case name, weight, connected, runs
            case medianTimeToConnectMS = "median_time_to_connect_ms"
        }
    }

    func json(_ stage: String, _ name: String, _ evaluation: PolicyEvaluation, scenarios: Bool) -> EvaluationJSON {
        let policy = evaluation.policy
        let finite = evaluation.objective.isFinite
        return EvaluationJSON(
            stage: stage, policy: name, mode: policy.mode.rawValue, candidates: policy.candidates.map(\.description),
            staggerMS: policy.mode == .staggered ? PopulationRunner.milliseconds(policy.stagger) : nil,
            attemptTimeoutMS: policy.attemptTimeout.map(PopulationRunner.milliseconds),
            overallTimeoutMS: policy.overallTimeout.map(PopulationRunner.milliseconds),
            advanceOnFailure: policy.advanceOnFailure, retries: policy.retries, repetitions: evaluation.repetitions,
            runs: evaluation.runs, objectiveMS: finite ? evaluation.objective : nil,
            intervalMS: finite ? [evaluation.interval.lowerBound, evaluation.interval.upperBound] : nil,
            failureRate: evaluation.failureRate, peakConnectionsPerClient: evaluation.peakConnectionsPerClient,
            wastedConnectionsPerClient: evaluation.wastedPerClient, serverConnectionsPerClient: evaluation.serverConnectionsPerClient,
            withinBudget: evaluation.isWithin(result.population.budget),
            scenarios: scenarios ? zip(evaluation.scenarios, result.population.members).map {
                ScenarioJSON(
                    name: $0.name, weight: $1.weight, medianTimeToConnectMS: $0.medianTimeToConnect.map(PopulationRunner.milliseconds),
                    connected: $0.connected, runs: $0.samples)
            } : nil)
    }

    struct TuneJSON: Encodable {
        var population: String
        var objective: String
        var seed: String
        var budgetRuns: Int
        var runsUsed: Int
        var holdoutRepetitions: Int
        var withinBudget: Bool
        var tuned: EvaluationJSON
        var presets: [EvaluationJSON]
        var evaluated: [EvaluationJSON]
        enum CodingKeys: String, CodingKey {
            case population, objective, seed, tuned, presets, evaluated
            case budgetRuns = "budget_runs", runsUsed = "runs_used", holdoutRepetitions = "holdout_repetitions"
            case withinBudget = "within_budget"
        }
    }

    var tuneJSON: String {
        let value = TuneJSON(
            population: result.population.file, objective: objectiveName, seed: String(result.population.seed),
            budgetRuns: result.budgetRuns, runsUsed: result.runsUsed, holdoutRepetitions: result.holdoutRepetitions,
            withinBudget: result.feasible,
            tuned: json("holdout", "tuned", result.tuned, scenarios: true),
            presets: result.presets.map { json("holdout", $0.name, $0.evaluation, scenarios: true) },
            evaluated: result.evaluated.map { json($0.stage, "tuned", $0.evaluation, scenarios: false) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self) + "\n"
    }

    var tuneCSV: String {
        var lines = ["stage,policy,mode,candidates,stagger_ms,attempt_timeout_ms,overall_timeout_ms,advance_on_failure,retries,repetitions,runs,objective_ms,interval_low_ms,interval_high_ms,failure_rate,peak_connections_per_client,wasted_connections_per_client,server_connections_per_client,within_budget"]
        func row(_ stage: String, _ name: String, _ evaluation: PolicyEvaluation) -> String {
            let policy = evaluation.policy
            let cells = [
                stage, name, policy.mode.rawValue, policy.candidates.map(\.description).joined(separator: " "),
                policy.mode == .staggered ? Self.durationMS(policy.stagger) : "", Self.durationMS(policy.attemptTimeout),
                Self.durationMS(policy.overallTimeout), String(policy.advanceOnFailure), String(policy.retries),
                String(evaluation.repetitions), String(evaluation.runs), Self.ms(evaluation.objective),
                Self.ms(evaluation.interval.lowerBound), Self.ms(evaluation.interval.upperBound), Self.ratio(evaluation.failureRate),
                Self.ratio(evaluation.peakConnectionsPerClient), Self.ratio(evaluation.wastedPerClient),
                Self.ratio(evaluation.serverConnectionsPerClient), String(evaluation.isWithin(result.population.budget)),
            ]
            return cells.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                .joined(separator: ",")
        }
        lines.append(row("holdout", "tuned", result.tuned))
        for preset in result.presets { lines.append(row("holdout", preset.name, preset.evaluation)) }
        for entry in result.evaluated { lines.append(row(entry.stage, "tuned", entry.evaluation)) }
        return lines.joined(separator: "\n") + "\n"
    }

    func files() -> [(String, [UInt8])] {
        [("tuned-policy.yaml", tunedPolicyYAML), ("tune.json", tuneJSON), ("tune.csv", tuneCSV), ("index.html", TuneHTML(result: result).render())]
            .map { ($0.0, Array($0.1.utf8)) }
    }
}

extension Tuner.Result {
    /// Writes `tuned-policy.yaml`, `tune.json`, `tune.csv` and `index.html`, whole or not at all.
    package func write(to directory: String) throws(ReportOutput.WriteError) {
        do {
            try ReportWriter.writeFolder(TuneReport(result: self).files(), to: directory)
        } catch {
            throw ReportOutput.WriteError(description: "\(error)")
        }
    }

    /// What the command prints at the end: the tuned policy and the holdout table.
    package var summary: String {
        let objective = population.objective.rawValue
        var lines = [feasible ? "tuned policy (holdout, \(holdoutRepetitions) repetitions on fresh seeds):" : "no policy met the budget; the least bad one:"]
        lines.append(PolicySpace.yaml(tuned.policy, indent: "  "))
        let rows = [("tuned", tuned)] + presets.map { ($0.name, $0.evaluation) }
        let width = rows.map(\.0.count).max() ?? 5
        lines.append("  " + "policy".padding(toLength: width, withPad: " ", startingAt: 0) + "  \(objective) ms     failures  peak/client  wasted/client  budget")
        for (name, evaluation) in rows {
            lines.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + TuneReport.ms(evaluation.objective).padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                + TuneReport.ratio(evaluation.failureRate).padding(toLength: 8, withPad: " ", startingAt: 0) + "  "
                + TuneReport.ratio(evaluation.peakConnectionsPerClient).padding(toLength: 11, withPad: " ", startingAt: 0) + "  "
                + TuneReport.ratio(evaluation.wastedPerClient).padding(toLength: 13, withPad: " ", startingAt: 0) + "  "
                + (evaluation.isWithin(population.budget) ? "within" : "over"))
        }
        lines.append("\(runsUsed) simulated connects in the search (budget \(budgetRuns))")
        return lines.joined(separator: "\n") + "\n"
    }
}
