/// How an attempt ended, as reports print it. The raw values are the report vocabulary.
public enum AttemptEnding: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// It connected first and became the connection.
    case won
    /// TCP reset.
    case refused
    /// ICMP unreachable.
    case unreachable
    /// A timeout; ``TimeoutOwner`` says whose (the OS's connect timeout or the policy's).
    case timeout
    /// The server rejected `connect`.
    case rejected
    /// The server answered with a redirect (302).
    case redirected
    /// The peer closed, or the bytes made no sense.
    case closed
    /// An HTTP proxy refused or failed.
    case proxyError = "proxy-error"
    /// The connector cancelled it (a loser, the overall timeout, a quirk).
    case cancelled

    public var description: String { rawValue }
}

/// Whose timeout ended an attempt: the difference between "Flash waits for Windows' 21 s" and
/// "the player gave up after 3 s" is the point of many scenarios.
public enum TimeoutOwner: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case os
    case policy

    public var description: String { rawValue }
}
