/// What a scenario claims about one policy (or every policy): the outcome, how fast, over what.
package struct Expectation: Sendable, Hashable {
    /// Which policy the claim is about.
    package var policy: Target
    package var outcome: Outcome
    /// Time to connect (or to fail, for `outcome: failed`) must not exceed this.
    package var within: Duration?
    /// The transport that must win.
    package var via: Transport?
    /// The most TCP connections the server may accept for the run (an extension of the format:
    /// `max-server-connections`), so a scenario can claim what a policy costs the server.
    package var maxServerConnections: Int?
    /// The most TCP connections that may be open at the server at the same instant
    /// (`max-server-peak-connections`): the claim a herd after an outage is about. Only the
    /// simulated network observes it; on a live network the claim fails as not measured.
    package var maxServerPeakConnections: Int?
    /// Time to the first frame (`first-frame-within`, for a client that plays) must not exceed this;
    /// a run without a first frame fails it.
    package var firstFrameWithin: Duration?
    /// From the server's reconnect request to the first frame on the new connection must not exceed
    /// this (`reconnect-within`); a run without a reconnect fails it.
    package var reconnectWithin: Duration?
    /// Where the entry is in its file, so a failed claim can point at the line that made it.
    package var line: Int

    package init(
        policy: Target, outcome: Outcome, within: Duration? = nil, via: Transport? = nil,
        maxServerConnections: Int? = nil, maxServerPeakConnections: Int? = nil, firstFrameWithin: Duration? = nil,
        line: Int = 0
    ) {
        self.policy = policy
        self.outcome = outcome
        self.within = within
        self.via = via
        self.maxServerConnections = maxServerConnections
        self.maxServerPeakConnections = maxServerPeakConnections
        self.firstFrameWithin = firstFrameWithin
        self.line = line
    }

    package enum Target: Sendable, Hashable {
        /// `"*"`: every policy of the scenario.
        case every
        case named(String)

        func matches(_ name: String) -> Bool {
            switch self {
            case .every: true
            case .named(let own): own == name
            }
        }
    }

    package enum Outcome: String, Sendable, Hashable, CaseIterable {
        case connected
        case failed
    }
}
