/// Why the connector cancelled an attempt. Reports need it: a loser closed after a win costs the
/// server a connection; a policy timeout is a timeout, not a cancellation.
public enum CancelReason: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Another attempt won.
    case loser
    /// The policy's per-attempt timeout fired.
    case policyTimeout = "policy-timeout"
    /// The policy's overall timeout fired.
    case overallTimeout = "overall-timeout"
    /// Another attempt failed and the policy ends everything on any failure (Akamai).
    case anyFailureEndsAll = "any-failure-ends-all"
    /// Another attempt was rejected and the policy ends everything on a rejection (JW Player 5).
    case rejectionEndsAll = "rejection-ends-all"
    /// The last candidate failed and the policy ends the round on it (Flex NCManager).
    case roundEnded = "round-ended"
    /// A newer attempt replaced it (JW Player 5 reuses its NetConnection).
    case abandoned
    /// A redirect restarted the round on another URL (FLVPlayback NCManager).
    case redirectRestart = "redirect-restart"

    /// How the attempt ends in reports.
    public var ending: AttemptEnding {
        switch self {
        case .policyTimeout: .timeout
        case .loser, .overallTimeout, .anyFailureEndsAll, .rejectionEndsAll, .roundEnded, .abandoned, .redirectRestart: .cancelled
        }
    }

    /// The owner of the timeout when ``ending`` is `.timeout`.
    public var timeoutOwner: TimeoutOwner? {
        switch self {
        case .policyTimeout: .policy
        case .loser, .overallTimeout, .anyFailureEndsAll, .rejectionEndsAll, .roundEnded, .abandoned, .redirectRestart: nil
        }
    }

    public var description: String { rawValue }
}
