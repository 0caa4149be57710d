import ArgumentParser
import Foundation
import Lab

/// `fallback-lab tune`: the fallback policy that is best for a population of networks.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search the policy space for the best policy over a population of networks.",
        discussion: """
            Reads a population file (scenario files with weights, an objective, a budget, a search space) \
            and writes tuned-policy.yaml, tune.json, tune.csv and index.html. Exits 0 with a policy within \
            the budget, 1 when none met it (the least bad is written), 64 on a usage error, 65 on an \
            invalid population or scenario file (file:line:column), 70 when the folder cannot be written.
            """
    )

    @Argument(help: "The population file (YAML).")
    var population: String

    @Option(help: "Folder for the results, replaced whole.")
    var out: String = "Reports/tune"

    @Option(name: .customLong("budget-runs"), help: "Simulated connects the search may spend (the holdout is extra).")
    var budgetRuns: Int = Tuner.defaultBudgetRuns

    @Option(help: "Seed, overriding the population's.")
    var seed: UInt64?

    @Option(help: "Runs at once (default: the number of cores); results are the same for any value.")
    var jobs: Int?

    func validate() throws {
        if !(100...100_000_000).contains(budgetRuns) { throw ValidationError("--budget-runs must be from 100 to 100000000") }
        if let jobs, !(1...1024).contains(jobs) { throw ValidationError("--jobs must be from 1 to 1024") }
    }

    func run() async throws {
        var loaded: Population
        do {
            loaded = try PopulationLoader.load(path: population)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(65)
        }
        if let seed { loaded.seed = seed }
        let interactive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let started = ContinuousClock.now
        let tuner = Tuner(population: loaded, budgetRuns: budgetRuns, workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let result: Tuner.Result
        do {
            result = try await tuner.run { line in
                let elapsed = ContinuousClock.now - started
                let text = "[\(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))] \(line)\n"
                if interactive { FileHandle.standardError.write(Data(text.utf8)) } else { FileHandle.standardOutput.write(Data(text.utf8)) }
            }
        } catch {
            FileHandle.standardError.write(Data("fallback-lab: \(error)\n".utf8))
            throw ExitCode(70)
        }
        print("")
        print(result.summary, terminator: "")
        do {
            try result.write(to: out)
        } catch {
            FileHandle.standardError.write(Data("fallback-lab: cannot write \(out): \(error)\n".utf8))
            throw ExitCode(70)
        }
        print("results: \(out)/ (tuned-policy.yaml, tune.json, tune.csv, index.html)")
        if !result.feasible { throw ExitCode(1) }
    }
}
