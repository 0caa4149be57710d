/// What `fallback-lab run` may change about the scenarios it runs.
public struct RunOptions: Sendable {
    /// Run only these policies (by name) in every scenario that has them; empty runs each scenario's own.
    public var policies: [String]
    /// Overrides every scenario's `repeat`.
    public var repetitions: Int?
    /// Overrides every scenario's `seed`.
    public var seed: UInt64?
    /// Runs at once; any value gives the same results.
    public var jobs: Int
    /// Record packets for the pcap report (costs memory on long runs).
    public var recordPackets: Bool

    public init(policies: [String] = [], repetitions: Int? = nil, seed: UInt64? = nil, jobs: Int = 1, recordPackets: Bool = true) {
        self.policies = policies
        self.repetitions = repetitions
        self.seed = seed
        self.jobs = max(1, jobs)
        self.recordPackets = recordPackets
    }
}
