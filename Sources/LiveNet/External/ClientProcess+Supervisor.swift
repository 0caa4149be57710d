#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ClientProcess {
    /// Waits one poll interval. A cancelled task's `Task.sleep` returns at once, which would turn the
    /// bounded waits after a cancellation into a busy loop: then the thread sleeps instead.
    static func pause() async {
        if Task.isCancelled {
            usleep(UInt32(pollInterval.components.attoseconds / 1_000_000_000_000))
        } else {
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// The parent's side of one running client: its pid, the read ends of its pipes and their tails.
    /// Reads never block (the pipes are non-blocking); reaping uses `WNOHANG` except after SIGKILL.
    struct Supervisor {
        let pid: pid_t
        private var stdout: Int32
        private var stderr: Int32
        private(set) var stdoutTail: OutputTail
        private(set) var stderrTail: OutputTail
        private var status: Int32?

        init(pid: pid_t, stdout: Int32, stderr: Int32, outputLimit: Int) {
            self.pid = pid
            self.stdout = stdout
            self.stderr = stderr
            self.stdoutTail = OutputTail(limit: outputLimit)
            self.stderrTail = OutputTail(limit: outputLimit)
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
        mutating func drainUntilClosed(limit: Duration) async {
            let deadline = ContinuousClock.now + limit
            while !pipesClosed, ContinuousClock.now < deadline {
                drain()
                if pipesClosed { return }
                await ClientProcess.pause()
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
        mutating func terminate(grace: Duration) async -> (Int32, Bool) {
            kill(-pid, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while ContinuousClock.now < deadline {
                drain()
                if let status = reap() {
                    // The leader is gone; its group may not be.
                    kill(-pid, SIGKILL)
                    return (status, false)
                }
                await ClientProcess.pause()
            }
            kill(-pid, SIGKILL)
            // SIGKILL cannot be caught: the kernel ends the process promptly. The bounded poll keeps the
            // pipes drained meanwhile; the blocking wait after it only guards a process stuck in the
            // kernel, which SIGKILL still ends.
            let killDeadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < killDeadline {
                drain()
                if let status = reap() { return (status, true) }
                await ClientProcess.pause()
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
