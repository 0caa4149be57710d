/// A policy written inline in a scenario file, for a player that is none of the presets.
public struct CustomPolicy: Sendable, Hashable {
    public var name: String
    public var mode: Mode
    /// In order; `url` stands for the URL's own scheme and port.
    public var candidates: [CandidateSpec]
    /// Delay between starting one candidate and the next (staggered mode).
    public var stagger: Duration
    /// Gives up on one attempt after this long; `nil` leaves it to the OS connect timeout.
    public var attemptTimeout: Duration?
    /// Gives up on everything after this long; `nil` never does.
    public var overallTimeout: Duration?
    /// Starts the next candidate at once when an attempt fails, without waiting for the stagger.
    public var advanceOnFailure: Bool
    /// Extra rounds over the candidate list after every candidate failed.
    public var retries: Int
    /// Follows a 302 to the redirect URL.
    public var followRedirects: Bool

    public init(
        name: String, mode: Mode, candidates: [CandidateSpec], stagger: Duration = CustomPolicy.defaultStagger,
        attemptTimeout: Duration? = nil, overallTimeout: Duration? = nil, advanceOnFailure: Bool = true,
        retries: Int = 0, followRedirects: Bool = true
    ) {
        self.name = name
        self.mode = mode
        self.candidates = candidates
        self.stagger = stagger
        self.attemptTimeout = attemptTimeout
        self.overallTimeout = overallTimeout
        self.advanceOnFailure = advanceOnFailure
        self.retries = retries
        self.followRedirects = followRedirects
    }

    /// RFC 8305's Connection Attempt Delay, the best-argued default there is.
    public static let defaultStagger: Duration = .milliseconds(250)

    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// One after another, each waiting for the previous to fail.
        case sequential
        /// Each starts `stagger` after the previous one, earlier if it failed.
        case staggered
        /// All at once.
        case parallel
    }
}

/// One entry of a custom policy's `candidates`.
public enum CandidateSpec: Sendable, Hashable, CustomStringConvertible {
    /// The URL's own scheme and port.
    case url
    case transport(Transport)

    public var description: String {
        switch self {
        case .url: "url"
        case .transport(let transport): transport.description
        }
    }
}
