#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A helper program (`unshare`, `ip`, `nft`, our own netns worker) run to completion: argv, never a
/// shell; stdin fed from bytes; stdout and stderr collected; bounded by a timeout.
///
/// It is spawned with `posix_spawn` rather than Foundation's `Process` because the child must start
/// clean: an empty signal mask and default dispositions (the caller's threads may block signals,
/// and a child inheriting that could never be stopped by SIGTERM), its own process group (so a
/// timeout stops everything it started), and no descriptor but its stdio — NIO's sockets are not
/// close-on-exec, and a child holding a copy of a listening socket would keep the port open.
///
/// `run` blocks its thread: call it from a thread pool, never from an event loop.
struct ChildProcess: Sendable {
    /// How the child ended.
    struct Result: Sendable {
        /// The exit status, or 128 + the signal that ended it.
        var status: Int32
        var standardOutput: [UInt8]
        var standardError: [UInt8]
        /// The timeout passed and the child was killed.
        var timedOut: Bool

        var succeeded: Bool { status == 0 && !timedOut }
        var errorText: String {
            let text = String(decoding: standardError, as: UTF8.self)
            return text.split(separator: "\n").map { $0.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: "; ")
        }
    }

    /// Why a child could not even start.
    struct SpawnError: Error, Sendable, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String {
            code == ENOENT ? "\(executable) is not installed (not found on PATH)" : "cannot start \(executable): \(String(cString: strerror(code)))"
        }
    }

    var executable: String
    var arguments: [String]
    var input: [UInt8] = []
    var timeout: Duration

    /// Where helpers are looked for when the name has no slash: PATH, then the system folders that
    /// hold `ip` and `nft` even when PATH (a non-login root shell, a test runner) leaves them out.
    static func locate(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + name
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Starts the child, feeds `input`, collects its output until it exits or `timeout` passes (then
    /// SIGTERM to its group, SIGKILL a second later), and reaps it.
    func run() throws(SpawnError) -> Result {
        guard let path = Self.locate(executable) else { throw SpawnError(executable: executable, code: ENOENT) }
        var inputPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard pipe(&inputPipe) == 0 else { throw SpawnError(executable: executable, code: errno) }
        guard pipe(&outputPipe) == 0 else {
            let code = errno
            inputPipe.forEach { _ = close($0) }
            throw SpawnError(executable: executable, code: code)
        }
        guard pipe(&errorPipe) == 0 else {
            let code = errno
            (inputPipe + outputPipe).forEach { _ = close($0) }
            throw SpawnError(executable: executable, code: code)
        }

        let spawned = ProcessSpawn.spawn(
            path, argv: [path] + arguments, input: .descriptor(inputPipe[0]), output: outputPipe[1], error: errorPipe[1])
        _ = close(inputPipe[0])
        _ = close(outputPipe[1])
        _ = close(errorPipe[1])
        switch spawned {
        case .started(let child):
            return collect(child: child, input: inputPipe[1], output: outputPipe[0], error: errorPipe[0])
        case .failed(let code):
            [inputPipe[1], outputPipe[0], errorPipe[0]].forEach { _ = close($0) }
            throw SpawnError(executable: executable, code: code)
        }
    }

    /// Drives the three pipes with `poll` until both output pipes closed, within the deadline.
    private func collect(child: pid_t, input: Int32, output: Int32, error: Int32) -> Result {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var pending = input
        var written = 0
        if self.input.isEmpty {
            _ = close(pending)
            pending = -1
        } else {
            _ = fcntl(pending, F_SETFL, fcntl(pending, F_GETFL) | O_NONBLOCK)
        }
        var open = [output, error]
        var collected: [Int32: [UInt8]] = [output: [], error: []]
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 16_384)
        // Bounded: every pass either makes progress or waits for at most the time left.
        while !open.isEmpty || pending >= 0 {
            let left = deadline - clock.now
            guard left > .zero else {
                timedOut = true
                break
            }
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if pending >= 0 { descriptors.append(pollfd(fd: pending, events: Int16(POLLOUT), revents: 0)) }
            let milliseconds = Int32(clamping: max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for descriptor in descriptors where descriptor.revents != 0 {
                if descriptor.fd == pending {
                    let count = self.input[written...].withUnsafeBytes { write(pending, $0.baseAddress, $0.count) }
                    if count > 0 { written += count }
                    if count < 0 && errno != EAGAIN && errno != EINTR || written == self.input.count {
                        _ = close(pending)
                        pending = -1
                    }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { read(descriptor.fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[descriptor.fd, default: []].append(contentsOf: buffer[0..<count])
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    _ = close(descriptor.fd)
                    open.removeAll { $0 == descriptor.fd }
                }
            }
        }
        if pending >= 0 { _ = close(pending) }
        for descriptor in open { _ = close(descriptor) }
        let status = timedOut ? Self.stop(child) : Self.reap(child)
        return Result(
            status: status, standardOutput: collected[output] ?? [], standardError: collected[error] ?? [],
            timedOut: timedOut)
    }

    /// SIGTERM to the child's group, SIGKILL if it is still there a second later; reaps it.
    private static func stop(_ child: pid_t) -> Int32 {
        kill(-child, SIGTERM)
        let clock = ContinuousClock()
        let grace = clock.now + .seconds(1)
        while clock.now < grace {
            var raw: Int32 = 0
            if waitpid(child, &raw, WNOHANG) == child { return decode(raw) }
            usleep(10_000)
        }
        kill(-child, SIGKILL)
        return reap(child)
    }

    private static func reap(_ child: pid_t) -> Int32 {
        var raw: Int32 = 0
        while waitpid(child, &raw, 0) < 0 {
            guard errno == EINTR else { return -1 }
        }
        return decode(raw)
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }
}
