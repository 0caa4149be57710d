import Connector
import NetSim

/// One finished run: what the simulated network measured, the oracle, and the scenario's claims
/// checked against it.
public struct RunRecord: Sendable {
    public var scenarioName: String
    public var policy: String
    /// 1-based.
    public var repetition: Int
    public var seed: UInt64
    /// What happened, or why the run could not happen.
    public var measurement: Result<Measured, RunError>
    public var verdicts: [ExpectationVerdict]

    /// Position in the plan; results are reported in this order whatever finished first.
    var index: Int
    var scenarioIndex: Int

    public struct Measured: Sendable {
        public var timeline: ConnectionTimeline
        /// Each attempt's SYN (re)transmission times, for the attempts report.
        public var synTimes: [AttemptID: [Duration]]
        /// The fastest one candidate alone connects; `nil` when none does.
        public var oracle: Oracle?
        /// Empty unless packets were recorded.
        public var packets: [TracedPacket]
        /// The candidate that won, as `scheme:port`.
        public var winner: Transport? { timeline.winningAttempt.map { Transport($0.candidate) } }
    }

    /// The best single candidate of a run's policy in its scenario.
    public struct Oracle: Sendable, Hashable {
        public var candidate: Transport
        public var timeToConnect: Duration
    }

    /// A run that could not produce a result: its connector could not be set up, or it never ended.
    public struct RunError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// `pass`, `fail`, or `none` when no claim applies, as the results CSV writes it.
    public var expectationStatus: String {
        if verdicts.isEmpty { return "none" }
        return verdicts.allSatisfy(\.passed) ? "pass" : "fail"
    }
}
