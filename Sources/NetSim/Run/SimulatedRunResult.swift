import Connector

/// What one simulated run produced: the connector's timeline (outcome, time to connect or fail,
/// winner, every attempt's phases and ending, server cost), what the network adds to it, and the
/// packet trace.
public struct SimulatedRunResult: Sendable {
    /// The run as the connector and the runtime recorded it; times are offsets from t = 0.
    public var timeline: ConnectionTimeline
    /// When each attempt's SYNs left (the first one and every retransmission), by attempt. An
    /// RTMPT attempt through a proxy lists the SYNs of its connection to the proxy.
    public var synTimes: [AttemptID: [Duration]]
    /// Every packet, when the run recorded them.
    public var trace: PacketTrace
    /// The virtual time when the run went quiet (after the connector finished and losers settled).
    public var simulatedDuration: Duration
    /// Events the run's loop executed, for the benchmark.
    public var eventsRun: Int

    /// `connected` or `failed`.
    public var outcome: ConnectionOutcome? { timeline.outcome }
    public var timeToConnect: Duration? { timeline.timeToConnect }
    public var timeToFail: Duration? { timeline.timeToFail }
    /// The winning transport, as reports print it (`rtmpt:80`).
    public var winnerLabel: String? { timeline.winningAttempt?.candidate.label }
    public var serverCost: ServerCost { timeline.serverCost }
}
