import Connector
import LiveNet
import NetSim

/// One finished run: what the simulated network measured, the oracle, and the scenario's claims
/// checked against it.
package struct RunRecord: Sendable {
    package var scenarioName: String
    package var policy: String
    /// 1-based.
    package var repetition: Int
    package var seed: UInt64
    /// What happened, or why the run could not happen.
    package var measurement: Result<Measured, RunError>
    package var verdicts: [ExpectationVerdict]

    /// The network it ran on (reports write its name: `sim`, `loopback`, `netns`).
    package var network = NetworkName.sim

    /// What an external client's run saw besides its timeline (its process's exit, output, and
    /// attempts as the network saw them); nil for policy runs.
    package var external: ExternalClientResult?

    /// 1-based client of a herd (`clients:` above 1); 1 otherwise.
    package var client: Int = 1
    /// How many clients ran together in this run.
    package var clients: Int = 1

    /// The run's place among every client of every repetition, repetition-major (repetition 2 of
    /// a 50-client herd is samples 51…100). Reports write `repetition` and `client` apart.
    package var sample: Int { (repetition - 1) * clients + client }

    /// `#2`, or `#2 client 7` in a herd.
    package var label: String { clients > 1 ? "#\(repetition) client \(client)" : "#\(repetition)" }

    /// Position in the plan; results are reported in this order whatever finished first.
    var index: Int
    var scenarioIndex: Int

    package struct Measured: Sendable {
        package var timeline: ConnectionTimeline
        /// Each attempt's SYN (re)transmission times, for the attempts report.
        package var synTimes: [AttemptID: [Duration]]
        /// The fastest one candidate alone connects; `nil` when none does.
        package var oracle: Oracle?
        /// Empty unless packets were recorded.
        package var packets: [TracedPacket]
        /// A live run's packet capture (a pcap file as libpcap wrote it); `nil` otherwise.
        package var capture: [UInt8]? = nil
        /// Why a live run asked for a capture has none (the runner says it once per command).
        var captureFailure: String? = nil
        /// The candidate that won, as `scheme:port`.
        package var winner: Transport? { timeline.winningAttempt.map { Transport($0.candidate) } }
    }

    /// The best single candidate of a run's policy in its scenario.
    package struct Oracle: Sendable, Hashable {
        package var candidate: Transport
        package var timeToConnect: Duration
    }

    /// A run that could not produce a result: its connector could not be set up, or it never ended.
    package struct RunError: Error, Sendable, Hashable, CustomStringConvertible {
        package var description: String
    }

    /// `pass`, `fail`, or `none` when no claim applies, as the results CSV writes it.
    package var expectationStatus: String {
        if verdicts.isEmpty { return "none" }
        return verdicts.allSatisfy(\.passed) ? "pass" : "fail"
    }
}

extension RunRecord {
    /// A live run's record before it runs: "not run" until it measured something, or why the live
    /// network cannot reproduce the scenario (one refusal for policy and external-client runs).
    init(
        unrun scenario: Scenario, policy: String, repetition: Int, seed: UInt64, index: Int, scenarioIndex: Int,
        on network: NetworkName
    ) {
        let limitations = scenario.liveLimitations(on: network)
        let reason = limitations.isEmpty
            ? "not run" : "cannot run on the \(network.rawValue) network: " + limitations.joined(separator: "; ")
        self.init(
            scenarioName: scenario.name, policy: policy, repetition: repetition, seed: seed,
            measurement: .failure(RunError(description: reason)), verdicts: [], index: index, scenarioIndex: scenarioIndex)
        self.network = network
    }

    /// Checks the scenario's expectations that name this record's policy (or `"*"`) against what the
    /// run measured: outcome, time, winner, and the server's cost as the network observed it (the
    /// connections it accepted on every network, the peak where the network sees one). One check for
    /// simulated, live and external-client runs alike (before issue 12 the live copy left the accepted
    /// connections at 0, so a live `max-server-connections` claim could not fail); a run that measured
    /// nothing has no verdicts.
    mutating func checkExpectations(of scenario: Scenario) {
        guard case .success(let measured) = measurement, let outcome = measured.timeline.outcome,
            let finishedAt = measured.timeline.finishedAt
        else {
            verdicts = []
            return
        }
        let cost = measured.timeline.serverCost
        let observed = Expectation.Measurement(
            outcome: outcome == .connected ? .connected : .failed, after: finishedAt, winner: measured.winner,
            serverConnections: cost.connectionsAccepted, serverPeakConnections: cost.peakConnections,
            firstFrame: measured.timeline.timeToFirstFrame, playFailure: measured.timeline.playFailure,
            reconnectSwitch: measured.timeline.reconnectSwitchTime, reconnectFailure: measured.timeline.reconnectFailure)
        // An external client's row is not a policy: only an expectation that names it applies, `"*"`
        // (every policy) does not.
        let applies: (Expectation) -> Bool = external == nil ? { $0.policy.matches(self.policy) } : { $0.policy == .named(self.policy) }
        verdicts = scenario.expectations.filter(applies).map { $0.check(observed) }
    }
}
