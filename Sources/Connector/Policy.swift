/// How a player falls back: which candidates, in which order, with which delays and timeouts.
///
/// Every built-in preset is a `Policy` value and so is every custom policy of a scenario file; the
/// connector knows no preset by name. A player's quirks are properties in ``Quirks``.
public struct Policy: Sendable, Hashable {
    /// When the candidates start.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// One at a time: the next when the current one fails or its attempt timeout fires.
        case sequential
        /// The next after `stagger` (or at once on a failure with `advanceOnFailure`), earlier ones kept.
        case staggered
        /// All at t = 0.
        case parallel
    }

    /// Behaviours of real players that are not a plain sequential or staggered race.
    public struct Quirks: Sendable, Hashable {
        /// A URL with an explicit port gets no fallback at all: only the URL itself is tried
        /// (Flash Player's built-in NetConnection).
        public var noFallbackWhenURLHasPort: Bool
        /// Candidates come from every URL of a `|`-separated streamer list, in order, each expanded by
        /// the policy's candidate specs; otherwise only the first URL is used (JW Player 4).
        public var urlsFromStreamerList: Bool
        /// Starting the next candidate closes the ones still in flight, because the player reuses one
        /// NetConnection (JW Player 5).
        public var abandonPrevious: Bool
        /// Only a failure of the last candidate ends the round, cancelling whatever is still pending;
        /// failures of earlier candidates end nothing by themselves (Flex NCManager).
        public var endRoundOnlyOnLastFailure: Bool
        /// Any failure of any attempt ends the whole race (Akamai AkamaiConnection).
        public var anyFailureEndsAll: Bool
        /// A rejection (`NetConnection.Connect.Rejected` without a redirect to follow) of any attempt
        /// ends the whole race, while a network failure (`Connect.Failed`) does not: the player waits
        /// for its next scheduled candidate (JW Player 5, whose `Connect.Failed` handler clears
        /// `_responded` so the 5 s tunnel still runs, and whose `Connect.Rejected` handler stops).
        public var rejectionEndsAll: Bool
        /// Losers still pending when a winner appears are not cancelled; they run on and are closed
        /// if they succeed later (Flex NCManager's late-success listener), which costs the server.
        public var losersRunUntilTheyEnd: Bool
        /// A followed redirect restarts the whole round on the new URL, cancelling every other
        /// attempt (FLVPlayback NCManager, JW Player 5 reload); otherwise only the redirected
        /// candidate moves to the new URL.
        public var redirectRestartsRound: Bool

        public init(
            noFallbackWhenURLHasPort: Bool = false,
            urlsFromStreamerList: Bool = false,
            abandonPrevious: Bool = false,
            endRoundOnlyOnLastFailure: Bool = false,
            anyFailureEndsAll: Bool = false,
            rejectionEndsAll: Bool = false,
            losersRunUntilTheyEnd: Bool = false,
            redirectRestartsRound: Bool = false
        ) {
            self.noFallbackWhenURLHasPort = noFallbackWhenURLHasPort
            self.urlsFromStreamerList = urlsFromStreamerList
            self.abandonPrevious = abandonPrevious
            self.endRoundOnlyOnLastFailure = endRoundOnlyOnLastFailure
            self.anyFailureEndsAll = anyFailureEndsAll
            self.rejectionEndsAll = rejectionEndsAll
            self.losersRunUntilTheyEnd = losersRunUntilTheyEnd
            self.redirectRestartsRound = redirectRestartsRound
        }
    }

    /// Upper bound on `retries`: every loop of a run is bounded.
    public static let maximumRetries = 100
    /// Upper bound on `redirectLimit`: a redirect loop between two servers must end.
    public static let maximumRedirects = 100

    /// Name shown in reports (`flowplayer`, `our-player`).
    public var name: String
    public var mode: Mode
    /// The candidates, in order, relative to the URL.
    public var candidates: [CandidateSpec]
    /// Delay between two starts in `staggered` mode.
    public var stagger: Duration
    /// Per-attempt timeout of the policy; `nil` leaves it to the operating system's TCP connect
    /// timeout, and reports then say the OS ended the attempt.
    public var attemptTimeout: Duration?
    /// The whole connector gives up after this; `nil` for never.
    public var overallTimeout: Duration?
    /// In `staggered` mode, start the next candidate at once when an attempt fails and nothing else
    /// is in flight (RFC 8305 §5, SwiftNIO's `connectFailed`), instead of waiting for the stagger.
    public var advanceOnFailure: Bool
    /// Further attempts on the same candidate, started at once, after a connection failure
    /// (`Connect.Failed`) or the policy's attempt timeout; not after a rejection or a redirect: the
    /// server answered, and asking again gives the same answer.
    public var retries: Int
    public var followRedirects: Bool
    /// Delay before connecting to a redirect's target.
    public var redirectDelay: Duration
    /// Redirects followed in one run at most; the next one fails the attempt.
    public var redirectLimit: Int
    /// Two starts are never closer than this (RFC 8305: 10 ms). Zero for no constraint.
    public var minimumSpacing: Duration
    public var quirks: Quirks
    /// Advertise Enhanced RTMP v2's reconnect capability (`capsEx` 1 in `connect`) and follow the
    /// server's `NetConnection.Connect.ReconnectRequest` to its `tcUrl` through this same policy,
    /// keeping the old stream until the new one's first frame (veovera/enhanced-rtmp,
    /// `enhanced-rtmp-v2.md`, "Reconnect Request"). Every preset predates it: off, so such a player
    /// keeps playing until the server closes, then connects anew to its own URL.
    public var followsReconnectRequest: Bool = false

    public init(
        name: String,
        mode: Mode,
        candidates: [CandidateSpec],
        stagger: Duration = .zero,
        attemptTimeout: Duration? = nil,
        overallTimeout: Duration? = nil,
        advanceOnFailure: Bool = false,
        retries: Int = 0,
        followRedirects: Bool = false,
        redirectDelay: Duration = .zero,
        redirectLimit: Int = 5,
        minimumSpacing: Duration = .zero,
        quirks: Quirks = Quirks()
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
        self.redirectDelay = redirectDelay
        self.redirectLimit = redirectLimit
        self.minimumSpacing = minimumSpacing
        self.quirks = quirks
    }

    /// Checks the values a connector relies on; a scenario loader calls it to report errors early.
    public func validate() throws(PolicyError) {
        guard !candidates.isEmpty else { throw .noCandidates }
        if let attemptTimeout, attemptTimeout <= .zero { throw .invalidTimeout(attemptTimeout) }
        if let overallTimeout, overallTimeout <= .zero { throw .invalidTimeout(overallTimeout) }
        guard (0...Self.maximumRetries).contains(retries) else { throw .invalidRetries(retries) }
        guard (0...Self.maximumRedirects).contains(redirectLimit) else { throw .invalidRedirectLimit(redirectLimit) }
        guard redirectDelay >= .zero else { throw .negativeDelay(redirectDelay) }
        guard minimumSpacing >= .zero else { throw .negativeDelay(minimumSpacing) }
        switch mode {
        case .staggered:
            guard stagger > .zero, stagger >= minimumSpacing else { throw .invalidStagger(stagger) }
        case .sequential, .parallel:
            guard stagger >= .zero else { throw .negativeDelay(stagger) }
        }
    }

    /// The candidates this policy tries for `urls` (a streamer list, or one URL), in order, without
    /// duplicates. The runtime computes the oracle from them: each one alone from t = 0.
    ///
    /// Exact duplicates (same scheme, host, port and path) are kept once: a table such as Flash's
    /// `rtmp:1935, rtmp:443, …` applied to an `rtmps` URL would otherwise name one endpoint twice.
    public func candidates(for urls: [ConnectURL]) -> [Candidate] {
        guard let first = urls.first else { return [] }
        let sources = quirks.urlsFromStreamerList ? urls : [first]
        var result: [Candidate] = []
        for url in sources {
            let specs = (quirks.noFallbackWhenURLHasPort && url.explicitPort != nil) ? [CandidateSpec.url] : candidates
            for spec in specs {
                let candidate = spec.candidate(for: url)
                if !result.contains(candidate) { result.append(candidate) }
            }
        }
        return result
    }

    /// A policy that tries one URL as it is and nothing else, as the oracle needs: the fastest any
    /// single candidate connects when started alone at t = 0. Run it on `candidate.connectURL`.
    /// Redirects are followed as `base` follows them; no policy timeout, so the OS decides.
    public static func only(_ candidate: Candidate, following base: Policy) -> Policy {
        Policy(
            name: "only \(candidate.label)",
            mode: .sequential,
            candidates: [.url],
            followRedirects: base.followRedirects,
            // Clamped, so that the result is valid even for a base that is not.
            redirectDelay: max(base.redirectDelay, .zero),
            redirectLimit: min(max(base.redirectLimit, 0), maximumRedirects)
        )
    }
}
