import Connector

/// One execution of one policy under one scenario (one repetition).
package struct RunReport: Sendable {
    /// The policy's name (a preset such as `flowplayer`, or a custom policy's name).
    package var policy: String
    /// The repetition index, starting at 1.
    package var repetition: Int
    /// The client of a herd (a scenario's `clients:` above 1), starting at 1; 1 for a single client.
    /// The clients of one repetition share its seed, network and server, so `cost` is the herd's.
    package var client: Int
    /// The seed this repetition ran with, so that it can be replayed alone.
    package var seed: UInt64
    /// The network it ran on: `sim`, `loopback` or `netns`.
    package var network: String
    /// How the connector finished.
    package var result: RunResult
    /// Every attempt the connector started, in the order they started.
    package var attempts: [AttemptReport]
    /// What the run cost the server.
    package var cost: ServerCost
    /// The fastest a single candidate started at t = 0 could have connected in this scenario and
    /// repetition; `nil` when no candidate could connect at all.
    package var oracle: OracleResult?
    /// Every expectation of the scenario that applied to this run, with its verdict.
    package var expectations: [ExpectationResult]
    /// What the firewall and the proxy did during the run.
    package var networkEvents: [NetworkEvent]
    /// The packets of the run for its capture file; empty when the runtime recorded none (live runs).
    package var packets: [PacketRecord]
    /// A live run's capture, the pcap file exactly as libpcap wrote it while the run ran; written to
    /// `pcap/` as it is, under the same name a simulated run's capture gets. `nil` for simulated runs
    /// and for live runs that could not capture.
    package var capture: [UInt8]?
    /// Why the winner's play gave no first frame, when the player played (`client.play`) and none
    /// came; the first frame itself is the winner's `first-frame` phase.
    package var playFailure: String?
    /// Why the player could not connect again after a reconnect request or its stream's loss.
    package var reconnectFailure: String?

    package init(
        policy: String,
        repetition: Int = 1,
        client: Int = 1,
        seed: UInt64,
        network: String = "sim",
        result: RunResult,
        attempts: [AttemptReport],
        cost: ServerCost,
        oracle: OracleResult? = nil,
        expectations: [ExpectationResult] = [],
        networkEvents: [NetworkEvent] = [],
        packets: [PacketRecord] = [],
        capture: [UInt8]? = nil,
        playFailure: String? = nil,
        reconnectFailure: String? = nil
    ) {
        self.policy = policy
        self.repetition = repetition
        self.client = client
        self.seed = seed
        self.network = network
        self.result = result
        self.attempts = attempts
        self.cost = cost
        self.oracle = oracle
        self.expectations = expectations
        self.networkEvents = networkEvents
        self.packets = packets
        self.capture = capture
        self.playFailure = playFailure
        self.reconnectFailure = reconnectFailure
    }
}
