/// How a run ended, as the player would have seen it.
public enum RunResult: Sendable {
    /// `NetConnection.Connect.Success` reached through `winner` (for example `rtmpt:80`) after
    /// `after`, measured from the connector's start.
    case connected(winner: String, after: Duration)
    /// The connector gave up after `after` and reported `reason` to the player.
    case failed(reason: String, after: Duration)
}
