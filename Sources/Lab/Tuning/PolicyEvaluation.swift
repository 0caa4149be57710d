import Connector
import NetSim
import RunCore

/// One policy's figures over a population at some number of repetitions: the objective with a
/// bootstrap interval, the budget's three figures, the server's connections per client (the cost
/// axis of the Pareto front), and each scenario's median time to connect.
struct PolicyEvaluation: Sendable {
    var policy: Policy
    var repetitions: Int
    /// Milliseconds.
    var objective: Double
    var interval: ClosedRange<Double>
    /// The weighted median of the same values, milliseconds.
    var median: Double
    var failureRate: Double
    var peakConnectionsPerClient: Double
    var wastedPerClient: Double
    var serverConnectionsPerClient: Double
    var scenarios: [ScenarioFigures]
    /// Connector runs (clients) simulated.
    var runs: Int

    struct ScenarioFigures: Sendable, Equatable {
        var name: String
        /// Nearest-rank median of the connected runs' time to connect, as `run`'s summary gives it;
        /// `nil` when none connected.
        var medianTimeToConnect: Duration?
        var connected: Int
        var samples: Int
    }

    /// Within each limit, give or take the rounding of a sum of weights (a failure rate of exactly
    /// 5 % adds up to 0.05000000000000001).
    func isWithin(_ budget: Population.Budget) -> Bool {
        let slack = 1e-9
        if let limit = budget.maxServerPeakConnections, peakConnectionsPerClient > limit + slack { return false }
        if let limit = budget.maxWastedConnections, wastedPerClient > limit + slack { return false }
        if let limit = budget.maxFailureRate, failureRate > limit + slack { return false }
        return true
    }
}

/// Runs policies over a population. Every policy of one evaluation round gets the same seeds (common
/// random numbers): two policies are compared on the same draws of loss and jitter, so the difference
/// between them is the policy's, not the dice's.
struct PopulationRunner: Sendable {
    let population: Population
    let workers: Int

    /// The seeds a run of a member gets. `search`: the tuner's own, the same for every policy (the
    /// policy's name is not in them); otherwise the seeds `fallback-lab run --seed S` gives the policy
    /// by its name, so that a holdout figure can be reproduced with `run`.
    enum Seeds: Sendable {
        case search(UInt64)
        case run(UInt64)
    }

    /// The evaluations of `policies`, each at `repetitions`, in their order; runs spread on `workers`,
    /// results independent of it.
    func evaluate(_ policies: [Policy], repetitions: Int, seeds: Seeds) async -> [PolicyEvaluation] {
        var jobs: [RunJob] = []
        for policy in policies {
            for (memberIndex, member) in population.members.enumerated() {
                var scenario = member.scenario
                scenario.policies = [policy]
                scenario.repetitions = repetitions
                let scenarioSeed: UInt64
                switch seeds {
                case .search(let seed): scenarioSeed = RunSeeds.mix(seed, UInt64(memberIndex) &+ 0x7E5E_A5C4)
                case .run(let seed): scenarioSeed = seed
                }
                scenario.seed = scenarioSeed
                for repetition in 1...repetitions {
                    let name: String
                    switch seeds {
                    case .search: name = "tune-search"
                    case .run: name = policy.name
                    }
                    jobs.append(RunJob(
                        index: jobs.count, scenarioIndex: memberIndex, scenario: scenario, policy: policy,
                        repetition: repetition, seed: RunSeeds.run(scenarioSeed: scenarioSeed, policy: name, repetition: repetition)))
                }
            }
        }
        let planned = jobs
        let records = await ParallelJobs.map(planned.count, workers: workers) { index in
            LabRunner.execute(planned[index], recordPackets: false, oracle: false)
        }
        let perPolicy = population.members.count * repetitions
        return policies.indices.map { policyIndex in
            let slice = records[(policyIndex * perPolicy)..<((policyIndex + 1) * perPolicy)]
            return figures(policies[policyIndex], repetitions: repetitions, records: Array(slice))
        }
    }

    /// A sample: its value in milliseconds (failed: time to fail plus the failure cost) and weight.
    struct Sample {
        var member: Int
        var value: Double
        var weight: Double
    }

    func figures(_ policy: Policy, repetitions: Int, records: [[RunRecord]]) -> PolicyEvaluation {
        var samples: [Sample] = []
        var failed = 0.0
        var peak = 0.0
        var wasted = 0.0
        var accepted = 0.0
        var runs = 0
        var connectTimes = [[Duration]](repeating: [], count: population.members.count)
        var sampleCounts = [Int](repeating: 0, count: population.members.count)
        let failureCost = Self.milliseconds(population.failureCost)
        for (offset, jobRecords) in records.enumerated() {
            let member = offset / repetitions
            let weight = population.members[member].weight / Double(repetitions * max(1, jobRecords.count))
            for record in jobRecords {
                runs += 1
                sampleCounts[member] += 1
                guard case .success(let measured) = record.measurement, let end = measured.timeline.finishedAt else {
                    samples.append(Sample(member: member, value: failureCost, weight: weight))
                    failed += weight
                    continue
                }
                let cost = measured.timeline.serverCost
                let clients = Double(max(1, record.clients))
                peak = max(peak, Double(cost.peakConnections ?? 0) / clients)
                wasted += weight * Double(cost.wastedConnections) / clients
                accepted += weight * Double(cost.connectionsAccepted) / clients
                if measured.timeline.outcome == .connected {
                    samples.append(Sample(member: member, value: Self.milliseconds(end), weight: weight))
                    connectTimes[member].append(end)
                } else {
                    samples.append(Sample(member: member, value: Self.milliseconds(end) + failureCost, weight: weight))
                    failed += weight
                }
            }
        }
        let objective = Self.statistic(samples, population.objective)
        return PolicyEvaluation(
            policy: policy, repetitions: repetitions, objective: objective, interval: interval(samples),
            median: Self.statistic(samples, .p50),
            failureRate: failed, peakConnectionsPerClient: peak, wastedPerClient: wasted, serverConnectionsPerClient: accepted,
            scenarios: population.members.indices.map { member in
                let sorted = connectTimes[member].sorted()
                return PolicyEvaluation.ScenarioFigures(
                    name: population.members[member].scenario.name,
                    medianTimeToConnect: sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2],
                    connected: sorted.count, samples: sampleCounts[member])
            },
            runs: runs)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// The weighted statistic: the weighted mean, or the weighted nearest-rank percentile (the
    /// smallest value whose cumulative weight reaches the share).
    static func statistic(_ samples: [Sample], _ objective: Population.Objective) -> Double {
        guard !samples.isEmpty else { return .infinity }
        let total = samples.reduce(0) { $0 + $1.weight }
        guard let percentile = objective.percentile else {
            return samples.reduce(0) { $0 + $1.value * $1.weight } / total
        }
        let sorted = samples.sorted { ($0.value, $0.member) < ($1.value, $1.member) }
        let target = total * percentile / 100
        var cumulative = 0.0
        for sample in sorted {
            cumulative += sample.weight
            // A small tolerance: weights are sums of fractions.
            if cumulative >= target * (1 - 1e-12) { return sample.value }
        }
        return sorted[sorted.count - 1].value
    }

    static let resamples = 200

    /// A 95 % percentile-bootstrap interval of the objective, resampling within each scenario (its
    /// weight stays its weight), seeded so the same figures give the same interval.
    func interval(_ samples: [Sample]) -> ClosedRange<Double> {
        var byMember = [[Sample]](repeating: [], count: population.members.count)
        for sample in samples { byMember[sample.member].append(sample) }
        var random = SimRandom(seed: RunSeeds.mix(population.seed, UInt64(samples.count)))
        var values: [Double] = []
        values.reserveCapacity(Self.resamples)
        var resampled: [Sample] = []
        resampled.reserveCapacity(samples.count)
        for _ in 0..<Self.resamples {
            resampled.removeAll(keepingCapacity: true)
            for group in byMember where !group.isEmpty {
                for _ in group.indices { resampled.append(group[Int(random.next() % UInt64(group.count))]) }
            }
            values.append(Self.statistic(resampled, population.objective))
        }
        values.sort()
        return values[Int(Double(Self.resamples) * 0.025)]...values[Int(Double(Self.resamples) * 0.975) - 1]
    }
}
