import Connector

/// What one live run produced: the connector's timeline (outcome, time to connect or fail, winner,
/// every attempt's phases and ending, server cost), the same value a simulated run records.
/// `Codable`: a run in a private namespace hands it back to the process that launched it.
package struct LiveRunResult: Sendable, Codable {
    /// Times are offsets from the connector's start, on the real monotonic clock.
    package var timeline: ConnectionTimeline
    /// When each attempt's first SYN left (its connect call); retransmissions are not seen without
    /// a capture.
    package var synTimes: [AttemptID: [Duration]]
    /// How long the run took, settling included.
    package var wallDuration: Duration
    /// The packet capture, when one was asked for (`LiveRun.capturePath`): what was written, or why
    /// there is none.
    package var capture: Result<LiveCaptureSummary, LiveCaptureError>?

    package init(
        timeline: ConnectionTimeline, synTimes: [AttemptID: [Duration]], wallDuration: Duration,
        capture: Result<LiveCaptureSummary, LiveCaptureError>? = nil
    ) {
        self.timeline = timeline
        self.synTimes = synTimes
        self.wallDuration = wallDuration
        self.capture = capture
    }

    private enum CodingKeys: String, CodingKey {
        case timeline, synTimes, wallDuration, captureSummary, captureError
    }

    /// `Result` is not `Codable`: the capture travels as its summary or its error.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        timeline = try container.decode(ConnectionTimeline.self, forKey: .timeline)
        synTimes = try container.decode([AttemptID: [Duration]].self, forKey: .synTimes)
        wallDuration = try container.decode(Duration.self, forKey: .wallDuration)
        if let summary = try container.decodeIfPresent(LiveCaptureSummary.self, forKey: .captureSummary) {
            capture = .success(summary)
        } else if let error = try container.decodeIfPresent(LiveCaptureError.self, forKey: .captureError) {
            capture = .failure(error)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(synTimes, forKey: .synTimes)
        try container.encode(wallDuration, forKey: .wallDuration)
        switch capture {
        case .success(let summary): try container.encode(summary, forKey: .captureSummary)
        case .failure(let error): try container.encode(error, forKey: .captureError)
        case nil: break
        }
    }

    package var outcome: ConnectionOutcome? { timeline.outcome }
    package var timeToConnect: Duration? { timeline.timeToConnect }
    package var timeToFail: Duration? { timeline.timeToFail }
    /// The winning transport, as reports print it (`rtmpt:80`).
    package var winnerLabel: String? { timeline.winningAttempt?.candidate.label }
}
