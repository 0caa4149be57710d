/// How an external client's process ended, and what it printed.
public struct ClientProcessResult: Sendable {
    /// Why the process stopped running.
    public enum Reason: Sendable, Hashable, Codable {
        /// It exited (or died of a signal) on its own.
        case exited
        /// Its time ran out: it was sent SIGTERM, then SIGKILL after the grace.
        case timedOut
        /// The caller's watch asked to stop it (e.g. the measurement was done).
        case stopped
        /// The task running it was cancelled; it was stopped like a timeout.
        case cancelled
    }

    /// The status the kernel reported when the process was reaped.
    public enum Termination: Sendable, Hashable, Codable, CustomStringConvertible {
        case exited(code: Int32)
        case signalled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// The argv it ran with (word 0 as written, not the resolved path).
    public var arguments: [String]
    /// The path that was executed.
    public var executable: String
    /// Just before `posix_spawn`: time zero of every measurement of the process.
    public var started: ContinuousClock.Instant
    /// When it was seen to exit, or when the timeout (or the watch) decided to stop it.
    public var ended: ContinuousClock.Instant
    /// When it was reaped: `ended` for a client that exited by itself, later for one that had to be
    /// signalled (SIGTERM, the grace, SIGKILL).
    public var reaped: ContinuousClock.Instant
    public var reason: Reason
    public var termination: Termination
    /// Whether SIGTERM was not enough and SIGKILL ended it.
    public var neededKill: Bool
    /// The last bytes of its standard output and standard error.
    public var standardOutput: OutputTail
    public var standardError: OutputTail

    /// From spawn to `ended`.
    public var duration: Duration { ended - started }
}
