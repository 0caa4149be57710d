/// How an external client's process ended, and what it printed.
package struct ClientProcessResult: Sendable {
    /// Why the process stopped running.
    package enum Reason: Sendable, Hashable, Codable {
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
    package enum Termination: Sendable, Hashable, Codable, CustomStringConvertible {
        case exited(code: Int32)
        case signalled(Int32)

        package var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// The argv it ran with (word 0 as written, not the resolved path).
    package var arguments: [String]
    /// The path that was executed.
    package var executable: String
    /// Just before `posix_spawn`: time zero of every measurement of the process.
    package var started: ContinuousClock.Instant
    /// When it was seen to exit, or when the timeout (or the watch) decided to stop it.
    package var ended: ContinuousClock.Instant
    /// When it was reaped: `ended` for a client that exited by itself, later for one that had to be
    /// signalled (SIGTERM, the grace, SIGKILL).
    package var reaped: ContinuousClock.Instant
    package var reason: Reason
    package var termination: Termination
    /// Whether SIGTERM was not enough and SIGKILL ended it.
    package var neededKill: Bool
    /// The last bytes of its standard output and standard error.
    package var standardOutput: OutputTail
    package var standardError: OutputTail

    /// From spawn to `ended`.
    package var duration: Duration { ended - started }
}
