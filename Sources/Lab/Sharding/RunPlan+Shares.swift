extension RunPlan {
    /// What a job is expected to cost, in simulated connector runs: each client runs the policy once,
    /// and the oracle runs each candidate alone once more (on the simulated network; live runs have
    /// no oracle but are not sharded). A herd's clients share one simulation, but the simulator's work
    /// grows with the clients it carries.
    static func expectedCost(of job: RunJob) -> Int {
        max(1, job.scenario.clients) + max(1, job.policy.candidates.count)
    }

    /// Which shard runs each job, by index: the jobs, most expensive first (plan order among equals),
    /// each given to the shard with the least expected cost so far (the lowest-numbered among equals).
    /// This is the longest-processing-time rule: deterministic, and within 4/3 of the best balance.
    /// A shard can get no job when there are more shards than jobs.
    func shardAssignment(count: Int) -> [Int] {
        var assignment = [Int](repeating: 1, count: jobs.count)
        guard count > 1 else { return assignment }
        let costs = jobs.map(Self.expectedCost)
        let order = jobs.indices.sorted { (costs[$0], $1) > (costs[$1], $0) }
        var loads = [Int](repeating: 0, count: count)
        for job in order {
            var lightest = 0
            for shard in 1..<count where loads[shard] < loads[lightest] { lightest = shard }
            loads[lightest] += costs[job]
            assignment[job] = lightest + 1
        }
        return assignment
    }

    /// The jobs of `shard`, in plan order.
    func jobs(in shard: Shard) -> JobList {
        let assignment = shardAssignment(count: shard.count)
        return jobs.selecting { assignment[$0] == shard.index }
    }
}
