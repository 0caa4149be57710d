import Connector

/// What one live run produced: the connector's timeline (outcome, time to connect or fail, winner,
/// every attempt's phases and ending, server cost), the same value a simulated run records.
/// `Codable`: a run in a private namespace hands it back to the process that launched it.
public struct LiveRunResult: Sendable, Codable {
    /// Times are offsets from the connector's start, on the real monotonic clock.
    public var timeline: ConnectionTimeline
    /// When each attempt's first SYN left (its connect call); retransmissions are not seen without
    /// a capture.
    public var synTimes: [AttemptID: [Duration]]
    /// How long the run took, settling included.
    public var wallDuration: Duration
    /// The packet capture, when one was asked for (`LiveRun.capturePath`): what was written, or why
    /// there is none.
    public var capture: Result<LiveCaptureSummary, LiveCaptureError>?

    public init(timeline: ConnectionTimeline, synTimes: [AttemptID: [Duration]], wallDuration: Duration) {
        self.timeline = timeline
        self.synTimes = synTimes
        self.wallDuration = wallDuration
    }

    public var outcome: ConnectionOutcome? { timeline.outcome }
    public var timeToConnect: Duration? { timeline.timeToConnect }
    public var timeToFail: Duration? { timeline.timeToFail }
    /// The winning transport, as reports print it (`rtmpt:80`).
    public var winnerLabel: String? { timeline.winningAttempt?.candidate.label }
}
