/// Why a policy cannot drive a connector. Reported at construction, before anything runs.
public enum PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A candidate in the scenario notation that is neither `url` nor `scheme[:port]`.
    case invalidCandidate(String)
    /// The policy names no candidate at all.
    case noCandidates
    /// A staggered policy needs a stagger above zero, and not below the minimum spacing.
    case invalidStagger(Duration)
    /// Timeouts must be above zero when set.
    case invalidTimeout(Duration)
    /// Retries per candidate must be in `0...Policy.maximumRetries`.
    case invalidRetries(Int)
    /// The redirect limit must be in `0...Policy.maximumRedirects`.
    case invalidRedirectLimit(Int)
    /// Delays (redirect delay, minimum spacing) must not be negative.
    case negativeDelay(Duration)
    /// The URL list handed to the connector is empty.
    case noURL

    public var description: String {
        switch self {
        case .invalidCandidate(let text):
            "invalid candidate '\(text)' (expected url, url-tunneled, or scheme[:port] such as rtmpt:80)"
        case .noCandidates: "the policy names no candidate"
        case .invalidStagger(let value): "invalid stagger \(value) (a staggered policy needs one above zero)"
        case .invalidTimeout(let value): "invalid timeout \(value) (must be above zero)"
        case .invalidRetries(let value): "invalid retries \(value) (expected 0...\(Policy.maximumRetries))"
        case .invalidRedirectLimit(let value):
            "invalid redirect limit \(value) (expected 0...\(Policy.maximumRedirects))"
        case .negativeDelay(let value): "negative delay \(value)"
        case .noURL: "no URL to connect to"
        }
    }
}
