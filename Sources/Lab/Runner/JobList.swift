import Connector
import RunCore

/// A plan's jobs, or one shard's, made one at a time when asked for: a job copies its scenario and
/// policy, so a plan of a million runs held as an array of jobs would hold a million scenario
/// copies (issue 13: memory must not grow with `--repeat`). Jobs are numbered in plan order:
/// scenarios as given, each scenario's policies, repetitions in order.
struct JobList: RandomAccessCollection, Sendable {
    let scenarios: [Scenario]
    /// Per scenario × policy, in plan order: where its jobs start in the plan.
    private let blocks: [Block]
    /// How many jobs the whole plan has.
    let planCount: Int
    /// The plan's jobs this list holds (a shard's), in plan order; nil: all of them.
    private let selected: [Int]?

    private struct Block: Sendable {
        var start: Int
        var scenarioIndex: Int
        var policyIndex: Int
        var repetitions: Int
    }

    init(scenarios: [Scenario]) {
        self.scenarios = scenarios
        var blocks: [Block] = []
        var start = 0
        for (scenarioIndex, scenario) in scenarios.enumerated() {
            let repetitions = Swift.max(1, scenario.repetitions)
            for policyIndex in scenario.policies.indices {
                blocks.append(Block(start: start, scenarioIndex: scenarioIndex, policyIndex: policyIndex, repetitions: repetitions))
                start += repetitions
            }
        }
        self.blocks = blocks
        planCount = start
        selected = nil
    }

    private init(_ list: JobList, selecting selected: [Int]) {
        scenarios = list.scenarios
        blocks = list.blocks
        planCount = list.planCount
        self.selected = selected
    }

    /// The jobs whose plan index `isIncluded` accepts, in plan order.
    func selecting(_ isIncluded: (Int) -> Bool) -> JobList {
        JobList(self, selecting: (0..<planCount).filter(isIncluded))
    }

    var startIndex: Int { 0 }
    var endIndex: Int { selected?.count ?? planCount }

    subscript(position: Int) -> RunJob {
        precondition(indices.contains(position), "job \(position) of a list of \(count)")
        return job(atPlanIndex: selected?[position] ?? position)
    }

    /// The plan's job number `index`, with its seed.
    private func job(atPlanIndex index: Int) -> RunJob {
        // The last block starting at or before `index`.
        var low = 0
        var high = blocks.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if blocks[middle].start <= index { low = middle } else { high = middle - 1 }
        }
        let block = blocks[low]
        let scenario = scenarios[block.scenarioIndex]
        let policy = scenario.policies[block.policyIndex]
        let repetition = index - block.start + 1
        return RunJob(
            index: index, scenarioIndex: block.scenarioIndex, scenario: scenario, policy: policy, repetition: repetition,
            seed: RunSeeds.run(scenarioSeed: scenario.seed, policy: policy.name, repetition: repetition))
    }
}
