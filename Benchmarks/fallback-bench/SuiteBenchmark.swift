// `fallback-bench suite [repeat] [folder]`: every shipped scenario (default `Scenarios/`) under each of
// its policies, `repeat` times, as `fallback-lab run` plans them (the same seeds), but without the
// oracle, the expectations or a report: the simulator's cost on the workload users run. A herd's
// clients count one run each, as they do in `results.csv`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Lab
import NetSim
import RunCore

func runSuiteBenchmark(_ arguments: [String]) {
    let repetitions = arguments.first.flatMap { Int($0) } ?? 1
    let folder = arguments.dropFirst().first ?? "Scenarios"
    let files: [String]
    do {
        files = try ScenarioFiles.expand([folder])
    } catch {
        print("fallback-bench suite: \(error)")
        exit(64)
    }
    let validation = Validation.check(files: files)
    guard validation.isValid else {
        print("fallback-bench suite: \(folder) has invalid scenario files:\n" + validation.diagnostics.map(\.description).joined(separator: "\n"))
        exit(65)
    }
    print("fallback-bench suite: \(validation.scenarios.count) scenarios of \(folder), every policy, \(repetitions) repetition\(repetitions == 1 ? "" : "s"), one thread, no oracle, packet trace off")
    var runs = 0
    var failedSetups = 0
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUTime()
    for scenario in validation.scenarios where scenario.client.externalClientName == nil {
        let simulated = scenario.simulated
        for policy in scenario.policies {
            for repetition in 1...max(1, repetitions) {
                let seed = RunSeeds.run(scenarioSeed: scenario.seed, policy: policy.name, repetition: repetition)
                let run = SimulatedRun(scenario: simulated, policy: policy, seed: seed, recordTrace: false)
                if scenario.clients > 1 {
                    if let results = try? run.runHerd(clients: scenario.clients) { runs += results.count } else { failedSetups += 1 }
                } else {
                    if (try? run.run()) != nil { runs += 1 } else { failedSetups += 1 }
                }
            }
        }
    }
    let cpu = threadCPUTime() - cpuStart
    let wall = clock.now - start
    print(
        "suite: \(runs) runs, \(format(Double(runs) / max(seconds(cpu), 1e-9), decimals: 0)) runs per CPU-second "
            + "(\(format(Double(runs) / max(seconds(wall), 1e-9), decimals: 0)) per wall-clock second)"
            + (failedSetups > 0 ? "; \(failedSetups) runs could not be set up" : ""))
}
