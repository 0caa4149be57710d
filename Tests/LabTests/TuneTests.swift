import Connector
import Foundation
import NetSim
import RunCore
import Testing
import TestSupport
@testable import Lab

/// `fallback-lab tune`: population files checked as scenario files are, the search deterministic for
/// a seed whatever the workers, and its answer better than every preset on fresh seeds.
@Suite("tune: policies for a population", .timeLimit(.minutes(10)))
struct TuneTests {
    static let scenarios = FixtureSupport.packageRoot.appendingPathComponent("Scenarios").path

    /// The issue's example population, on the shipped scenarios.
    static func population(repeat repetitions: Int = 10, extra: String = "") -> String {
        """
        description: Our viewers, from last quarter's connection logs.
        scenarios:
          - file: \(scenarios)/open-network.yaml
            weight: 70%
          - file: \(scenarios)/port-1935-dropped.yaml
            weight: 15%
          - file: \(scenarios)/rtmpt-only-through-proxy.yaml
            weight: 10%
          - file: \(scenarios)/everything-blocked.yaml
            weight: 5%
        objective: p95
        failure-cost: 60s
        budget:
          max-server-peak-connections: 2
          max-wasted-connections: 1.5
          max-failure-rate: 5%
        search:
          candidates: [url, rtmp:443, rtmp:80, rtmpt:80]
          stagger: 0ms..3s
          attempt-timeout: 500ms..30s
        repeat: \(repetitions)
        seed: 1
        \(extra)
        """
    }

    static func write(_ text: String, in folder: TemporaryFolder, name: String = "population.yaml") throws -> String {
        let path = folder.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func errors(_ text: String) throws -> [String] {
        let folder = try TemporaryFolder("population")
        let path = try write(text, in: folder)
        do {
            _ = try PopulationLoader.load(path: path)
            return []
        } catch {
            return error.diagnostics.map { "\($0.line):\($0.column) \($0.message)".replacingOccurrences(of: path, with: "P") }
        }
    }

    @Test func theExamplePopulationLoadsWithItsWeightsNormalised() throws {
        let folder = try TemporaryFolder("population")
        // The issue's example as written, stagger 0ms..3s included (a zero stagger is the parallel mode).
        let population = try PopulationLoader.load(path: try Self.write(Self.population(), in: folder))
        #expect(population.members.map(\.scenario.name) == ["open-network", "port-1935-dropped", "rtmpt-only-through-proxy", "everything-blocked"])
        #expect(abs(population.members.map(\.weight).reduce(0, +) - 1) < 1e-12)
        #expect(abs(population.members[0].weight - 0.7) < 1e-12)
        #expect(population.objective == .p95 && population.repetitions == 10 && population.seed == 1)
        #expect(population.budget == Population.Budget(maxServerPeakConnections: 2, maxWastedConnections: 1.5, maxFailureRate: 0.05))
        #expect(population.search.stagger == .zero ... .seconds(3))
        #expect(PolicySpace(search: population.search).search.stagger == .milliseconds(10) ... .seconds(3))
        #expect(try Self.errors(Self.population().replacingOccurrences(of: "attempt-timeout: 500ms..30s", with: "attempt-timeout: 0ms..0ms"))
            == ["20:20 search.attempt-timeout 0s..0s allows only a zero timeout: no policy can satisfy it"])
        let shipped = try PopulationLoader.load(path: FixtureSupport.packageRoot.appendingPathComponent("Scenarios/populations/corporate-viewers.yaml").path)
        #expect(shipped.members.count == 5)
    }

    @Test func badPopulationsAreRefusedAtTheirPositions() throws {
        let base = Self.population().replacingOccurrences(of: "stagger: 0ms..3s", with: "stagger: 50ms..3s")
        // A plain run of Scenarios/ never reads the populations folder.
        #expect(!(try ScenarioFiles.expand([Self.scenarios])).contains { $0.contains("populations") })
        #expect(try Self.errors(base.replacingOccurrences(of: "weight: 70%", with: "weight: 0%"))
            == ["4:13 a weight of 0% leaves the scenario out of the population"])
        #expect(try Self.errors(base.replacingOccurrences(of: "stagger: 50ms..3s", with: "stagger: 3s..50ms"))
            == ["19:12 search.stagger 3s..50ms is empty: 3s is above 50ms, so no policy can satisfy it"])
        #expect(try Self.errors(base.replacingOccurrences(of: "objective: p95", with: "objectiv: p95")).first == "11:1 unknown key 'objectiv' in a population file")
        let missing = try Self.errors(base.replacingOccurrences(of: "\(Self.scenarios)/open-network.yaml", with: "nowhere.yaml"))
        #expect(missing.count == 1 && missing[0].hasPrefix("3:11 scenario file 'nowhere.yaml' does not exist"), "\(missing)")
        // A member that is itself invalid: its own file and positions.
        let folder = try TemporaryFolder("population")
        let broken = try Self.write("client:\n  url: rtmp://example.com/live\npolicies: [flowplayr]\n", in: folder, name: "broken.yaml")
        let path = try Self.write(base.replacingOccurrences(of: "\(Self.scenarios)/open-network.yaml", with: "broken.yaml"), in: folder)
        do {
            _ = try PopulationLoader.load(path: path)
            Issue.record("a population with an invalid member loaded")
        } catch {
            #expect(error.diagnostics.map(\.file) == [broken])
            #expect(error.diagnostics.first.map { "\($0.line):\($0.column)" } == "3:12")
        }
    }

    /// A tuned policy, written as `tuned-policy.yaml` writes it, reads back as the same policy.
    @Test func policiesWrittenAsYAMLReadBackAsTheSamePolicy() throws {
        let space = PolicySpace(search: Population.SearchSpace(
            candidates: Population.SearchSpace.defaultCandidates, stagger: Population.SearchSpace.defaultStagger,
            attemptTimeout: Population.SearchSpace.defaultAttemptTimeout))
        var random = SimRandom(seed: 5)
        for _ in 0..<50 {
            let policy = space.random(&random)
            let text = "client:\n  url: rtmp://example.com/live\npolicies:\n  - " + PolicySpace.yaml(policy, indent: "    ").dropFirst(4)
            let scenario = try ScenarioLoader.parse(Array(text.utf8), file: "tuned.yaml")
            #expect(scenario.policies == [policy], "\(text)")
        }
    }

    @Test func sameSeedSameFilesWhateverTheWorkersAndTheTunedPolicyBeatsEveryPreset() async throws {
        let folder = try TemporaryFolder("tune")
        let population = try PopulationLoader.load(path: try Self.write(Self.population(), in: folder))
        var outputs: [[String: Data]] = []
        var last: Tuner.Result?
        for workers in [1, 2] {
            let result = try await Tuner(population: population, budgetRuns: 6_000, workers: workers).run()
            let out = folder.path("out-\(workers)")
            try result.write(to: out)
            outputs.append(try ShardMergeTests.files(out))
            last = result
        }
        #expect(outputs[0].keys.sorted() == ["index.html", "tune.csv", "tune.json", "tuned-policy.yaml"])
        #expect(outputs[0] == outputs[1], "jobs 1 and 2 wrote different files")
        let result = try #require(last)
        #expect(result.feasible, "the tuned policy is over the budget")
        #expect(result.runsUsed <= 6_000, "\(result.runsUsed) runs")
        for preset in result.presets where preset.evaluation.isWithin(population.budget) {
            #expect(result.tuned.objective < preset.evaluation.objective, "\(preset.name): \(preset.evaluation.objective) ms, tuned \(result.tuned.objective) ms")
        }

        // `run` on the population's scenarios, the tuned policy pasted in, --seed and --repeat of the
        // holdout: the same per-scenario medians.
        var scenarios = population.members.map(\.scenario)
        for index in scenarios.indices { scenarios[index].policies = [result.tuned.policy] }
        let planned = try LabRunner.plan(
            scenarios, options: RunOptions(repetitions: result.holdoutRepetitions, seed: result.holdoutSeed, jobs: 2, recordPackets: false))
        let run = await LabRunner.run(planned)
        let rows = RunTally(run).summaryTable.rows
        for (index, figures) in result.tuned.scenarios.enumerated() {
            let times = run.records.filter { $0.scenarioIndex == index }.compactMap { record -> Duration? in
                guard case .success(let measured) = record.measurement, measured.timeline.outcome == .connected else { return nil }
                return measured.timeline.finishedAt
            }.sorted()
            #expect(times.count == figures.connected, "\(figures.name)")
            #expect((times.isEmpty ? nil : times[(times.count - 1) / 2]) == figures.medianTimeToConnect, "\(figures.name)")
            if let median = figures.medianTimeToConnect {
                #expect(rows[index].result.hasPrefix("connected " + DurationText.describe(median)), "\(rows[index])")
            }
        }
    }
}
