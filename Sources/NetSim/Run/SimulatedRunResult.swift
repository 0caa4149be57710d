import Connector

/// What one simulated run produced: the connector's timeline (outcome, time to connect or fail,
/// winner, every attempt's phases and ending, server cost), what the network adds to it, and the
/// packet trace.
package struct SimulatedRunResult: Sendable {
    /// The run as the connector and the runtime recorded it; times are offsets from t = 0.
    package var timeline: ConnectionTimeline
    /// When each attempt's SYNs left (the first one and every retransmission), by attempt. An
    /// RTMPT attempt through a proxy lists the SYNs of its connection to the proxy.
    package var synTimes: [AttemptID: [Duration]]
    /// Every packet, when the run recorded them.
    package var trace: PacketTrace
    /// The virtual time when the run went quiet (after the connector finished and losers settled).
    package var simulatedDuration: Duration
    /// Events the run's loop executed, for the benchmark.
    package var eventsRun: Int

    /// `connected` or `failed`.
    package var outcome: ConnectionOutcome? { timeline.outcome }
    package var timeToConnect: Duration? { timeline.timeToConnect }
    package var timeToFail: Duration? { timeline.timeToFail }
    /// The winning transport, as reports print it (`rtmpt:80`).
    package var winnerLabel: String? { timeline.winningAttempt?.candidate.label }
    package var serverCost: ServerCost { timeline.serverCost }
}
