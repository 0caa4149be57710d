import Connector

/// One run to execute: a scenario, a policy, a repetition, and the seed derived from them.
struct RunJob: Sendable {
    /// Position in the plan: results are put back in this order, whatever finished first.
    var index: Int
    var scenarioIndex: Int
    var scenario: Scenario
    var policy: Policy
    /// 1-based.
    var repetition: Int
    var seed: UInt64
}
