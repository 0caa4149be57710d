extension FallbackConnector {
    /// Open a connection to `candidate` and report back under `id`.
    public struct AttemptStart: Sendable, Hashable {
        public var id: AttemptID
        public var candidate: Candidate
        /// Position of the candidate in the current round (0-based).
        public var candidateIndex: Int
        /// 1 for the first try of this candidate, 2 for its first retry, …
        public var tryNumber: Int
        /// The attempt whose redirect led here, if any.
        public var redirectedFrom: AttemptID?

        public init(
            id: AttemptID, candidate: Candidate, candidateIndex: Int, tryNumber: Int = 1,
            redirectedFrom: AttemptID? = nil
        ) {
            self.id = id
            self.candidate = candidate
            self.candidateIndex = candidateIndex
            self.tryNumber = tryNumber
            self.redirectedFrom = redirectedFrom
        }
    }

    /// Close attempt `id` and record why.
    public struct Cancellation: Sendable, Hashable {
        public var id: AttemptID
        public var reason: CancelReason

        public init(_ id: AttemptID, _ reason: CancelReason) {
            self.id = id
            self.reason = reason
        }
    }

    /// Everything one event asks the runtime to do. Execute in declaration order: cancel attempts,
    /// cancel timers, start attempts, schedule timers.
    public struct Steps: Sendable, Hashable {
        public var cancelAttempts: [Cancellation]
        public var cancelTimers: [TimerID]
        public var startAttempts: [AttemptStart]
        public var scheduleTimers: [TimerRequest]

        public init(
            cancelAttempts: [Cancellation] = [], cancelTimers: [TimerID] = [], startAttempts: [AttemptStart] = [],
            scheduleTimers: [TimerRequest] = []
        ) {
            self.cancelAttempts = cancelAttempts
            self.cancelTimers = cancelTimers
            self.startAttempts = startAttempts
            self.scheduleTimers = scheduleTimers
        }

        /// Nothing to do.
        public var isEmpty: Bool {
            cancelAttempts.isEmpty && cancelTimers.isEmpty && startAttempts.isEmpty && scheduleTimers.isEmpty
        }
    }
}
