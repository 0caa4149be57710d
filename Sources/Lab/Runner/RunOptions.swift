/// What `fallback-lab run` may change about the scenarios it runs.
package struct RunOptions: Sendable {
    /// Run only these policies (by name) in every scenario that has them; empty runs each scenario's own.
    package var policies: [String]
    /// Overrides every scenario's `repeat`.
    package var repetitions: Int?
    /// Overrides every scenario's `seed`.
    package var seed: UInt64?
    /// Runs at once; any value gives the same results.
    package var jobs: Int
    /// Record packets for the pcap report (costs memory on long runs).
    package var recordPackets: Bool

    package init(policies: [String] = [], repetitions: Int? = nil, seed: UInt64? = nil, jobs: Int = 1, recordPackets: Bool = true) {
        self.policies = policies
        self.repetitions = repetitions
        self.seed = seed
        self.jobs = max(1, jobs)
        self.recordPackets = recordPackets
    }
}
