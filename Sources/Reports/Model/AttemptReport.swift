/// One connection attempt of a run: when it started, what it reached, how and when it ended.
public struct AttemptReport: Sendable {
    /// The connector's attempt number, starting at 1.
    public var id: Int
    /// The candidate as `scheme:port`, for example `rtmp:1935`.
    public var candidate: String
    /// When the attempt started, from the connector's start.
    public var startedAt: Duration
    /// When the client retransmitted its SYN, from the connector's start; this is what makes a
    /// silently dropping firewall so expensive.
    public var synRetransmissions: [Duration]
    /// The phases the attempt reached, in order.
    public var phases: [AttemptPhase]
    /// How the attempt ended.
    public var ending: AttemptEnding
    /// When it ended (for the winner: when the `_result` arrived), from the connector's start.
    public var endedAt: Duration

    public init(
        id: Int,
        candidate: String,
        startedAt: Duration,
        synRetransmissions: [Duration] = [],
        phases: [AttemptPhase] = [],
        ending: AttemptEnding,
        endedAt: Duration
    ) {
        self.id = id
        self.candidate = candidate
        self.startedAt = startedAt
        self.synRetransmissions = synRetransmissions
        self.phases = phases
        self.ending = ending
        self.endedAt = endedAt
    }

    /// The time the attempt reached `kind`, if it did.
    func time(of kind: AttemptPhase.Kind) -> Duration? {
        phases.first { $0.kind == kind }?.at
    }
}
