import Connector
import NetSim
import RunCore

/// `fallback-lab tune`: the policy that minimises a population's objective within its budget.
///
/// The search is successive halving over a random design, then a local refinement, all on common
/// random numbers (every policy of a rung runs on the same seeds, so comparisons are paired and the
/// noise of loss and jitter cancels): many policies are tried on few repetitions, the best third goes
/// on to three times as many, until the last rung runs the population's own `repeat`. The presets,
/// brought into the search space, are among the first rung's policies. The refinement then tries each
/// neighbour of the best (a timing ×0.7 or ×1.4, two candidates swapped, one dropped or added, another
/// mode) at the full repeat and moves while one is better. Finally the winner and every preset are
/// run again on fresh seeds at twice the repeat (the holdout), and those are the figures reported: the
/// search's own figures of its winner are biased low (the winner's curse).
package struct Tuner: Sendable {
    package let population: Population
    /// Connector runs the search may spend (a herd's clients count one each); the holdout is extra.
    package let budgetRuns: Int
    package let workers: Int

    package static let defaultBudgetRuns = 200_000
    static let eta = 3
    static let rungs = 3

    package init(population: Population, budgetRuns: Int, workers: Int) {
        self.population = population
        self.budgetRuns = budgetRuns
        self.workers = workers
    }

    /// Why a tune cannot run at all.
    package struct TuneError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// Every evaluation of the search, in the order made, with the stage that made it.
    package struct Evaluated: Sendable {
        var stage: String
        var evaluation: PolicyEvaluation
    }

    package struct Result: Sendable {
        package var population: Population
        package var budgetRuns: Int
        var evaluated: [Evaluated]
        /// The chosen policy's holdout figures, and each preset's.
        var tuned: PolicyEvaluation
        var presets: [(name: String, evaluation: PolicyEvaluation)]
        /// Whether the chosen policy met the budget in the search (at the full repeat) and in the holdout.
        package var feasible: Bool
        var holdoutRepetitions: Int
        var holdoutSeed: UInt64
        package var runsUsed: Int
    }

    /// Clients one repetition of the population runs.
    var clientsPerRepetition: Int { population.members.reduce(0) { $0 + max(1, $1.scenario.clients) } }

    /// Repetitions of each rung, the last the population's `repeat`.
    var rungRepetitions: [Int] {
        let full = population.repetitions
        return (0..<Self.rungs).map { rung in
            var value = full
            for _ in 0..<(Self.rungs - 1 - rung) { value = max(1, value / Self.eta) }
            return value
        }.reduce(into: [Int]()) { if $0.last != $1 { $0.append($1) } }
    }

    /// How many policies the first rung can afford: three quarters of the budget for the halving,
    /// the rest for the refinement.
    var firstRungSize: Int {
        let rungs = rungRepetitions
        var costPerPolicy = 0.0
        var share = 1.0
        for repetitions in rungs {
            costPerPolicy += share * Double(repetitions * clientsPerRepetition)
            share /= Double(Self.eta)
        }
        return max(Self.eta, Int(Double(budgetRuns) * 0.75 / costPerPolicy))
    }

    package func run(progress: @Sendable (String) -> Void = { _ in }) async throws(TuneError) -> Result {
        guard !population.search.candidates.isEmpty else { throw TuneError(description: "the search has no candidates") }
        let space = PolicySpace(search: population.search)
        let runner = PopulationRunner(population: population, workers: workers)
        let searchSeed = RunSeeds.mix(population.seed, 0x7E5E_A5C4_5EA2_C400)
        var random = SimRandom(seed: searchSeed)
        var evaluated: [Evaluated] = []
        var used = 0

        // The first rung: the presets brought into the space, then random policies; no policy twice.
        var pool: [Policy] = []
        for preset in Preset.all {
            if let policy = space.projected(preset.policy), !pool.contains(policy) { pool.append(policy) }
        }
        let size = max(firstRungSize, pool.count)
        var draws = 0
        while pool.count < size, draws < size * 20 {
            draws += 1
            let policy = space.random(&random)
            if (try? policy.validate()) != nil, !pool.contains(policy) { pool.append(policy) }
        }

        func rank(_ a: PolicyEvaluation, _ b: PolicyEvaluation) -> Bool {
            let feasibleA = a.isWithin(population.budget)
            let feasibleB = b.isWithin(population.budget)
            if feasibleA != feasibleB { return feasibleA }
            if a.objective != b.objective { return a.objective < b.objective }
            // Among equals, fewer failures (a percentile can hide them), then less server cost.
            if a.failureRate != b.failureRate { return a.failureRate < b.failureRate }
            return a.serverConnectionsPerClient < b.serverConnectionsPerClient
        }

        var survivors = pool
        var best: PolicyEvaluation?
        let rungs = rungRepetitions
        for (index, repetitions) in rungs.enumerated() {
            progress("rung \(index + 1)/\(rungs.count): \(survivors.count) policies × \(repetitions) repetitions of \(population.members.count) scenarios")
            let results = await runner.evaluate(survivors, repetitions: repetitions, seeds: .search(RunSeeds.mix(searchSeed, UInt64(index))))
            used += results.reduce(0) { $0 + $1.runs }
            evaluated += results.map { Evaluated(stage: "rung \(index + 1)", evaluation: $0) }
            // A stable sort: among equals the earlier policy (a preset first) stays ahead.
            let order = results.indices.sorted { rank(results[$0], results[$1]) || (!rank(results[$1], results[$0]) && $0 < $1) }
            best = results[order[0]]
            let keep = index == rungs.count - 1 ? 1 : max(1, survivors.count / Self.eta)
            survivors = order.prefix(keep).map { results[$0].policy }
        }
        guard var current = best else { throw TuneError(description: "nothing was evaluated") }

        // Refinement at the full repeat, on the last rung's seeds, while the budget lasts.
        let fullSeeds = PopulationRunner.Seeds.search(RunSeeds.mix(searchSeed, UInt64(rungs.count - 1)))
        var tried: Set<Policy> = [current.policy]
        var step = 0
        while used < budgetRuns, step < 20 {
            step += 1
            let neighbours = space.neighbours(of: current.policy).filter { !tried.contains($0) }
            let affordable = max(0, (budgetRuns - used) / max(1, population.repetitions * clientsPerRepetition))
            let batch = Array(neighbours.prefix(affordable))
            if batch.isEmpty { break }
            tried.formUnion(batch)
            progress("refinement step \(step): \(batch.count) neighbours of \(PolicySpace.summary(current.policy))")
            let results = await runner.evaluate(batch, repetitions: population.repetitions, seeds: fullSeeds)
            used += results.reduce(0) { $0 + $1.runs }
            evaluated += results.map { Evaluated(stage: "refinement \(step)", evaluation: $0) }
            guard let better = results.enumerated().filter({ rank($0.element, current) })
                .min(by: { rank($0.element, $1.element) || (!rank($1.element, $0.element) && $0.offset < $1.offset) })
            else { break }
            current = better.element
        }

        // The holdout: fresh seeds (those `run --seed` gives), twice the repeat, the winner and every preset.
        let holdoutRepetitions = population.repetitions * 2
        var tunedPolicy = current.policy
        tunedPolicy.name = "tuned"
        progress("holdout: the tuned policy and \(Preset.all.count) presets × \(holdoutRepetitions) repetitions on fresh seeds")
        let holdout = await runner.evaluate([tunedPolicy] + Preset.all.map(\.policy), repetitions: holdoutRepetitions, seeds: .run(population.seed))
        return Result(
            population: population, budgetRuns: budgetRuns, evaluated: evaluated, tuned: holdout[0],
            presets: zip(Preset.all, holdout.dropFirst()).map { ($0.name, $1) },
            feasible: current.isWithin(population.budget) && holdout[0].isWithin(population.budget),
            holdoutRepetitions: holdoutRepetitions, holdoutSeed: population.seed, runsUsed: used)
    }
}
