import Connector
import Foundation
import Yams

extension ScenarioDecoder {
    static let populationKeys = ["description", "scenarios", "objective", "failure-cost", "budget", "search", "repeat", "seed"]
    static let memberKeys = ["file", "weight"]
    static let budgetKeys = ["max-server-peak-connections", "max-wasted-connections", "max-failure-rate"]
    static let searchKeys = ["candidates", "stagger", "attempt-timeout"]

    /// A population file's tree; each member's scenario file is loaded by `PopulationLoader` (its own
    /// errors keep its own positions). `load` turns a member's path into a scenario or `nil` after
    /// reporting why not.
    mutating func population(from root: Node, load: (String, Node) -> Scenario?) -> Population? {
        guard let fields = fields(of: root, in: "a population file", known: Self.populationKeys) else { return nil }
        let before = diagnostics.count
        var description = ""
        if let node = fields["description"], let text = text(node, what: "description", example: "description: our viewers") {
            description = text
        }
        var members: [Population.Member] = []
        var totalWeight = 0.0
        if let node = fields["scenarios"],
            let list = items(of: node, what: "scenarios", example: "scenarios: [{file: open-network.yaml, weight: 70%}]") {
            if list.isEmpty { report(node, "scenarios is empty", "list at least one scenario file with its weight") }
            for item in list {
                guard let member = self.fields(of: item, in: "a population member", known: Self.memberKeys) else { continue }
                var weight: Double?
                if let weightNode = member["weight"] { weight = self.weight(weightNode) } else if member.lacks("weight") {
                    report(item, "a population member has no weight", "add weight: 10%")
                }
                var scenario: Scenario?
                if let fileNode = member["file"], let path = text(fileNode, what: "file", example: "file: open-network.yaml") {
                    scenario = load(path, fileNode)
                } else if member.lacks("file") {
                    report(item, "a population member has no file", "add file: Scenarios/open-network.yaml")
                }
                if let scenario, let weight {
                    members.append(Population.Member(scenario: scenario, weight: weight))
                    totalWeight += weight
                }
            }
        } else if fields.lacks("scenarios") {
            report(root, "a population has no scenarios", "add scenarios: with a file: and a weight: each")
        }
        var objective = Population.Objective.p95
        if let node = fields["objective"],
            let text = choice(node, what: "objective", names: Population.Objective.allCases.map(\.rawValue)),
            let value = Population.Objective(rawValue: text) {
            objective = value
        }
        var failureCost = Population.defaultFailureCost
        if let node = fields["failure-cost"], let value = duration(node, what: "failure-cost") { failureCost = value }
        var budget = Population.Budget()
        if let node = fields["budget"], let entries = self.fields(of: node, in: "budget", known: Self.budgetKeys) {
            if let value = entries["max-server-peak-connections"] {
                budget.maxServerPeakConnections = positiveNumber(value, what: "max-server-peak-connections")
            }
            if let value = entries["max-wasted-connections"] {
                budget.maxWastedConnections = number(value, what: "max-wasted-connections")
            }
            if let value = entries["max-failure-rate"], let text = text(value, what: "max-failure-rate", example: "max-failure-rate: 5%") {
                if let ratio = ValueSyntax.ratio(text), ratio >= 0, ratio <= 1 {
                    budget.maxFailureRate = ratio
                } else {
                    report(value, "'\(text)' is not a failure rate", ValueSyntax.ratioForms + " from 0% to 100%")
                }
            }
        }
        var search = Population.SearchSpace(
            candidates: Population.SearchSpace.defaultCandidates, stagger: Population.SearchSpace.defaultStagger,
            attemptTimeout: Population.SearchSpace.defaultAttemptTimeout)
        if let node = fields["search"], let entries = self.fields(of: node, in: "search", known: Self.searchKeys) {
            if let list = entries["candidates"], let items = items(of: list, what: "candidates", example: "candidates: [url, rtmpt:80]") {
                let candidates = candidateList(items)
                if items.isEmpty { report(list, "search.candidates is empty: no policy can satisfy it", "list at least one candidate") }
                if !candidates.isEmpty { search.candidates = candidates }
            }
            // A stagger range may start at 0 (the issue's own example does): a stagger of zero is the
            // parallel mode, which the search has anyway; staggers are drawn from 10 ms up.
            if let value = entries["stagger"], let range = durationRange(value, what: "search.stagger") {
                search.stagger = range
            }
            if let value = entries["attempt-timeout"], let range = durationRange(value, what: "search.attempt-timeout") {
                if range.upperBound <= .zero {
                    report(value, "search.attempt-timeout \(PolicySpace.text(range.lowerBound))..\(PolicySpace.text(range.upperBound)) allows only a zero timeout: no policy can satisfy it",
                           "give an upper bound above zero, like 500ms..30s")
                } else {
                    search.attemptTimeout = range
                }
            }
        }
        var repetitions = Population.defaultRepetitions
        if let node = fields["repeat"], let value = integer(node, what: "repeat", range: 1...10_000) { repetitions = value }
        var seed: UInt64 = 1
        if let node = fields["seed"], let text = text(node, what: "seed", example: "seed: 1") {
            if let value = UInt64(text.trimmingWhitespace()) { seed = value } else {
                report(node, "'\(text)' is not a seed", "write a whole number from 0 to \(UInt64.max)")
            }
        }
        guard diagnostics.count == before, !members.isEmpty, totalWeight > 0 else { return nil }
        for index in members.indices { members[index].weight /= totalWeight }
        return Population(
            file: file, description: description, members: members, objective: objective, failureCost: failureCost,
            budget: budget, search: search, repetitions: repetitions, seed: seed)
    }

    /// `70%` or a plain positive number (weights are normalised).
    mutating func weight(_ node: Node) -> Double? {
        guard let text = text(node, what: "weight", example: "weight: 10%") else { return nil }
        let trimmed = text.trimmingWhitespace()
        let value = trimmed.hasSuffix("%") ? ValueSyntax.ratio(trimmed) : Double(trimmed)
        guard let value, value.isFinite, value >= 0 else {
            report(node, "'\(text)' is not a weight", "write a share like 15% or a positive number")
            return nil
        }
        guard value > 0 else {
            report(node, "a weight of \(text) leaves the scenario out of the population", "give it a share above 0, or remove the member")
            return nil
        }
        return value
    }

    mutating func number(_ node: Node, what: String) -> Double? {
        guard let text = text(node, what: what, example: "\(what): 1.5") else { return nil }
        guard let value = Double(text.trimmingWhitespace()), value.isFinite, value >= 0 else {
            report(node, "'\(text)' is not a number for \(what)", "write a number of connections, like 1.5")
            return nil
        }
        return value
    }

    mutating func positiveNumber(_ node: Node, what: String) -> Double? {
        guard let value = number(node, what: what) else { return nil }
        guard value >= 1 else {
            report(node, "\(what) below 1 leaves no policy possible: a client needs one connection", "write at least 1")
            return nil
        }
        return value
    }

    /// `A..B`, each a duration, A ≤ B.
    mutating func durationRange(_ node: Node, what: String) -> ClosedRange<Duration>? {
        guard let text = text(node, what: what, example: "\(what): 50ms..3s") else { return nil }
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let low = ValueSyntax.duration(parts[0].trimmingWhitespace()),
            let high = ValueSyntax.duration(parts[1].trimmingWhitespace())
        else {
            report(node, "'\(text)' is not a range for \(what)", "write two durations joined by .., like 50ms..3s")
            return nil
        }
        guard low <= high else {
            report(node, "\(what) \(text) is empty: \(parts[0]) is above \(parts[1]), so no policy can satisfy it", "write the lower bound first")
            return nil
        }
        return low...high
    }
}
