/// Why the connector gave up, as the player would report it.
public enum ConnectFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Every candidate was tried and none connected. `lastFailure` is how the last one failed, or `nil`
    /// when the policy's own attempt timeout ended it. JW Player 4 says "Failed to connect after N tries".
    case exhausted(attempts: Int, lastFailure: AttemptFailure?)
    /// The policy's overall timeout fired first.
    case overallTimeout(Duration)
    /// One attempt failed and the policy ends everything on any failure (Akamai).
    case anyFailureEndedAll(AttemptFailure?)
    /// The last candidate failed and ended the round (Flex NCManager).
    case roundEnded(AttemptFailure?)
    /// One attempt was rejected and the policy ends everything on a rejection (JW Player 5).
    case rejectionEndedAll(AttemptFailure)

    public var description: String {
        switch self {
        case .exhausted(let attempts, let last):
            "Failed to connect after \(attempts) tries" + (last.map { " (last: \($0))" } ?? " (last: policy timeout)")
        case .overallTimeout(let limit): "overall timeout after \(limit)"
        case .anyFailureEndedAll(let failure):
            "one failure ended all attempts (\(failure.map { "\($0)" } ?? "policy timeout"))"
        case .roundEnded(let failure):
            "the last candidate failed and ended the round (\(failure.map { "\($0)" } ?? "policy timeout"))"
        case .rejectionEndedAll(let failure): "a rejection ended all attempts (\(failure))"
        }
    }
}
