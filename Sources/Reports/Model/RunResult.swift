import Connector

/// How a run ended, as the player would have seen it.
package enum RunResult: Sendable {
    /// `NetConnection.Connect.Success` reached through `winner` (for example `rtmpt:80`) after
    /// `after`, measured from the connector's start.
    case connected(winner: String, after: Duration)
    /// The connector gave up after `after` and reported `reason` to the player.
    case failed(reason: String, after: Duration)

    /// The result a connector's timeline records; `nil` while the connector has not finished.
    package init?(_ timeline: ConnectionTimeline) {
        guard let outcome = timeline.outcome, let finishedAt = timeline.finishedAt else { return nil }
        switch outcome {
        case .connected:
            self = .connected(winner: timeline.winningAttempt?.candidate.label ?? "", after: finishedAt)
        case .failed:
            self = .failed(reason: timeline.failure?.description ?? "failed", after: finishedAt)
        }
    }
}
