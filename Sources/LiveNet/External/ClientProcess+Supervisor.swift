#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClientProcess {
    /// What the supervision loop needs besides the process: its clock bounds and the two ways the
    /// caller can stop it early.
    struct Watching: Sendable {
        var started: ContinuousClock.Instant
        var deadline: ContinuousClock.Instant
        var grace: Duration
        var watch: @Sendable () -> Bool
        var cancelled: CancellationFlag
    }

    /// The parent's side of one running client: its pid, the read ends of its pipes and their tails.
    /// Reads never block (the pipes are non-blocking); reaping uses `WNOHANG` except after SIGKILL.
    /// Runs on its supervising thread only, so it sleeps with `usleep`.
    struct Supervisor: Sendable {
        /// The argv and the executed path, for the result.
        let arguments: [String]
        let executable: String
        let pid: pid_t
        private var stdout: Int32
        private var stderr: Int32
        private(set) var stdoutTail: OutputTail
        private(set) var stderrTail: OutputTail
        private var status: Int32?

        init(arguments: [String], executable: String, pid: pid_t, stdout: Int32, stderr: Int32, outputLimit: Int) {
            self.arguments = arguments
            self.executable = executable
            self.pid = pid
            self.stdout = stdout
            self.stderr = stderr
            self.stdoutTail = OutputTail(limit: outputLimit)
            self.stderrTail = OutputTail(limit: outputLimit)
        }

        /// Polls until the client exits, its deadline passes, the watch asks or the task is
        /// cancelled; then stops it if needed, reaps it, drains and closes the pipes.
        mutating func supervise(_ watching: Watching) -> ClientProcessResult {
            var reason = ClientProcessResult.Reason.exited
            var ended = watching.started
            var status: Int32?
            while true {
                drain()
                if let reaped = reap() {
                    status = reaped
                    ended = ContinuousClock.now
                    break
                }
                let now = ContinuousClock.now
                if now >= watching.deadline {
                    reason = .timedOut
                    ended = watching.deadline
                    break
                }
                if watching.cancelled.isSet {
                    reason = .cancelled
                    ended = now
                    break
                }
                if watching.watch() {
                    reason = .stopped
                    ended = now
                    break
                }
                Self.pause(min(ClientProcess.pollInterval, watching.deadline - now))
            }
            var neededKill = false
            var reaped = ended
            if status == nil {
                (status, neededKill) = terminate(grace: watching.grace)
                reaped = ContinuousClock.now
            }
            // Whatever the client wrote last (its error message) may still be in the pipes.
            drainUntilClosed(limit: .milliseconds(200))
            closePipes()
            let raw = status ?? 0
            let signal = raw & 0x7F
            return ClientProcessResult(
                arguments: arguments, executable: executable, started: watching.started, ended: ended,
                reaped: reaped, reason: reason,
                termination: signal == 0 ? .exited(code: (raw >> 8) & 0xFF) : .signalled(signal),
                neededKill: neededKill, standardOutput: stdoutTail, standardError: stderrTail)
        }

        /// Reads what both pipes hold now; a pipe at end of file is closed.
        mutating func drain() {
            Self.read(&stdout, into: &stdoutTail)
            Self.read(&stderr, into: &stderrTail)
        }

        /// Both pipes closed (every writer gone) or not readable any more.
        var pipesClosed: Bool { stdout < 0 && stderr < 0 }

        /// Keeps draining until both pipes reach end of file or `limit` passes (a descendant the client
        /// left behind may hold them open).
        mutating func drainUntilClosed(limit: Duration) {
            let deadline = ContinuousClock.now + limit
            while !pipesClosed, ContinuousClock.now < deadline {
                drain()
                if pipesClosed { return }
                Self.pause(ClientProcess.pollInterval)
            }
            drain()
        }

        /// The raw wait status once the process has exited, reaping it; nil while it runs.
        mutating func reap() -> Int32? {
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw
                return raw
            }
            if result < 0, errno == ECHILD {
                // Reaped elsewhere (a SIGCHLD handler set to ignore): the status is lost.
                status = 0
                return 0
            }
            return nil
        }

        /// SIGTERM to the process group, SIGKILL after `grace`, then reaps. Returns the raw status and
        /// whether SIGKILL was needed.
        mutating func terminate(grace: Duration) -> (Int32, Bool) {
            kill(-pid, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while ContinuousClock.now < deadline {
                drain()
                if let status = reap() {
                    // The leader is gone; its group may not be.
                    kill(-pid, SIGKILL)
                    return (status, false)
                }
                Self.pause(ClientProcess.pollInterval)
            }
            kill(-pid, SIGKILL)
            // SIGKILL cannot be caught: the kernel ends the process promptly. The bounded poll keeps the
            // pipes drained meanwhile; the blocking wait after it only guards a process stuck in the
            // kernel, which SIGKILL still ends.
            let killDeadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < killDeadline {
                drain()
                if let status = reap() { return (status, true) }
                Self.pause(ClientProcess.pollInterval)
            }
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
            status = raw
            return (raw, true)
        }

        mutating func closePipes() {
            if stdout >= 0 { close(stdout) }
            if stderr >= 0 { close(stderr) }
            stdout = -1
            stderr = -1
        }

        /// Sleeps this (supervising) thread.
        static func pause(_ duration: Duration) {
            let micros = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
            if micros > 0 { usleep(UInt32(clamping: micros)) }
        }

        /// Reads until the pipe would block (at most 1 MiB per call, so one call stays short).
        private static func read(_ fd: inout Int32, into tail: inout OutputTail) {
            guard fd >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 16_384)
            for _ in 0..<64 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.withUnsafeBytes { tail.append(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    continue
                }
                if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                    close(fd)
                    fd = -1
                }
                return
            }
        }
    }
}
