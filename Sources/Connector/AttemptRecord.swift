/// One attempt as a runtime saw it: when it started, which phases it reached when, how it ended.
///
/// All times are `Duration` offsets from the connector's start, so a simulated and a live run of the
/// same scenario compare field by field.
public struct AttemptRecord: Sendable, Hashable, Codable {
    public var id: AttemptID
    public var candidate: Candidate
    /// 1 for a first try, 2 for the first retry of the same candidate, …
    public var tryNumber: Int
    /// The attempt whose redirect led to this one.
    public var redirectedFrom: AttemptID?
    public var start: Duration
    /// When each phase was reached; a phase not reached has no entry.
    public var phases: [AttemptPhase: Duration]
    /// When it ended; `nil` while in flight (or never ended, e.g. a loser left running).
    public var end: Duration?
    public var ending: AttemptEnding?
    /// Whose timeout ended it, when ``ending`` is `.timeout`.
    public var timeoutOwner: TimeoutOwner?
    /// Why the connector cancelled it, when it did.
    public var cancelReason: CancelReason?
    /// Free text for reports: the rejection's description, the proxy's status, the redirect target.
    public var detail: String?

    public init(
        id: AttemptID, candidate: Candidate, tryNumber: Int = 1, redirectedFrom: AttemptID? = nil, start: Duration
    ) {
        self.id = id
        self.candidate = candidate
        self.tryNumber = tryNumber
        self.redirectedFrom = redirectedFrom
        self.start = start
        self.phases = [:]
        self.end = nil
        self.ending = nil
        self.timeoutOwner = nil
        self.cancelReason = nil
        self.detail = nil
    }

    /// When `phase` was reached, if it was.
    public func time(of phase: AttemptPhase) -> Duration? { phases[phase] }

    /// How long the attempt lasted, once it ended.
    public var duration: Duration? { end.map { $0 - start } }

    /// Whether it has ended.
    public var isEnded: Bool { ending != nil }

    /// `timeout(os)` / `timeout(policy)` for timeouts, the ending's raw value otherwise.
    public var endingLabel: String? {
        guard let ending else { return nil }
        switch ending {
        case .timeout: return timeoutOwner.map { "timeout(\($0))" } ?? "timeout"
        case .won, .refused, .unreachable, .rejected, .redirected, .closed, .proxyError, .cancelled:
            return ending.rawValue
        }
    }
}
