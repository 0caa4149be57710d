extension FallbackConnector {
    /// A timer the connector asked for. It comes back as `timerFired(_:)`; a timer that was cancelled
    /// or belongs to an earlier generation is ignored when it fires anyway (a race in a live runtime).
    public enum TimerID: Sendable, Hashable, CustomStringConvertible {
        /// Time to start the next candidate in `staggered` mode. Re-armed with a new generation
        /// whenever a start resets the stagger.
        case stagger(generation: Int)
        /// The minimum spacing since the last start has elapsed (RFC 8305's 10 ms).
        case minimumSpacing(generation: Int)
        /// The policy's per-attempt timeout for this attempt.
        case attemptTimeout(AttemptID)
        /// The policy's overall timeout.
        case overallTimeout
        /// The delay before following the redirect this attempt received.
        case redirect(AttemptID)

        public var description: String {
            switch self {
            case .stagger(let generation): "stagger(\(generation))"
            case .minimumSpacing(let generation): "minimum-spacing(\(generation))"
            case .attemptTimeout(let id): "attempt-timeout(\(id))"
            case .overallTimeout: "overall-timeout"
            case .redirect(let id): "redirect(\(id))"
            }
        }
    }

    /// Arm `id` to fire `after` from now.
    public struct TimerRequest: Sendable, Hashable {
        public var id: TimerID
        public var after: Duration

        public init(_ id: TimerID, after: Duration) {
            self.id = id
            self.after = after
        }
    }
}
