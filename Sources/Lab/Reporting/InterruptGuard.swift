#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOConcurrencyHelpers

/// The write end of the pipe the signal handler reports to, -1 when no guard is installed. Set
/// before the handler is, read only by the handler: `write(2)` is async-signal-safe, nothing else
/// the guard does is, so the handler does only that.
nonisolated(unsafe) private var signalPipe: Int32 = -1

/// What SIGINT and SIGTERM do while a report folder is being written: never leave a half-written
/// report, nor the hidden staging folder it is assembled in.
///
/// A report is written into a hidden temporary sibling of `--out` and renamed over it at the end
/// (the Reports module). A simulated `run` streams its runs into that sibling while it runs, so the
/// default action of a signal would leave it behind: a folder of hundreds of megabytes at a long
/// run's Ctrl-C. With the guard installed:
/// - while the plan runs, a signal removes the staging folder (`onInterrupt`) and then ends the
///   process by that same signal, so the shell and CI still see "killed by SIGINT";
/// - inside `deferring`, while the finished report is put in place, a signal is only recorded and
///   raised once the report is whole.
///
/// A C signal handler may do almost nothing safely (no allocation, no locks, no file-tree walk), so
/// it only writes the signal's number to a pipe; a thread of the guard's own reads it and does the
/// rest (the self-pipe pattern).
package final class InterruptGuard: Sendable {
    private enum Phase {
        /// A signal runs `onInterrupt`, then ends the process.
        case guarding
        /// A signal is recorded (the first one), raised when the deferral ends.
        case deferring(pending: Int32?)
    }

    private let phase: NIOLockedValueBox<Phase>
    private let previous: [(signal: Int32, action: sigaction)]

    private static let signals = [SIGINT, SIGTERM]

    /// Installs the guard; `onInterrupt` runs on the guard's thread when a signal arrives outside
    /// `deferring`. One guard at a time.
    package init(onInterrupt: @escaping @Sendable () -> Void = {}) {
        precondition(signalPipe < 0, "one InterruptGuard at a time")
        let phase = NIOLockedValueBox(Phase.guarding)
        self.phase = phase
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { fatalError("fallback-lab: pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        signalPipe = ends[1]
        let reader = ends[0]
        let thread = Thread { [phase, onInterrupt] in
            var number: Int32 = 0
            while true {
                let count = read(reader, &number, MemoryLayout<Int32>.size)
                if count < 0, errno == EINTR { continue }
                guard count == MemoryLayout<Int32>.size else { return }  // the guard was removed
                let now = phase.withLockedValue { phase -> Bool in
                    switch phase {
                    case .guarding:
                        return true
                    case .deferring(pending: nil):
                        phase = .deferring(pending: number)
                        return false
                    case .deferring(pending: .some):
                        return false
                    }
                }
                if now {
                    onInterrupt()
                    Self.die(by: number)
                }
            }
        }
        thread.name = "fallback-lab signals"
        thread.start()
        let handler: @convention(c) (Int32) -> Void = { number in
            var value = number
            _ = write(signalPipe, &value, MemoryLayout<Int32>.size)
        }
        var installed: [(signal: Int32, action: sigaction)] = []
        for number in Self.signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            installed.append((number, old))
        }
        previous = installed
    }

    /// Runs `body` with signals held back: one that arrives meanwhile ends the process when `body`
    /// has returned (or thrown), so the report it puts in place is whole.
    package func deferring<Result>(_ body: () throws -> Result) rethrows -> Result {
        phase.withLockedValue { $0 = .deferring(pending: nil) }
        defer {
            let pending = phase.withLockedValue { phase -> Int32? in
                defer { phase = .guarding }
                if case .deferring(let pending) = phase { return pending }
                return nil
            }
            if let pending { Self.die(by: pending) }
        }
        return try body()
    }

    /// Puts the previous dispositions back and stops the guard's thread.
    package func remove() {
        for (number, action) in previous {
            var old = action
            sigaction(number, &old, nil)
        }
        let writer = signalPipe
        signalPipe = -1
        close(writer)
    }

    /// Ends the process by `number` with its default action, as if the guard had never been there.
    private static func die(by number: Int32) -> Never {
        signal(number, SIG_DFL)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, number)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        kill(getpid(), number)
        // The default action of SIGINT and SIGTERM ends the process; this is not reached.
        pause()
        exit(128 + number)
    }

    /// Runs `body` with a guard that does nothing but defer: for commands that write their report
    /// only at the end.
    package static func deferringInterrupts<Result>(_ body: () throws -> Result) rethrows -> Result {
        let guarding = InterruptGuard()
        defer { guarding.remove() }
        return try guarding.deferring(body)
    }
}
