import Foundation
import LiveNet
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way tests start a child process: a real peer (ffmpeg, rtmpdump, nginx, tshark), a tool
/// (xmllint, chromium, unshare) or `fallback-lab` itself.
///
/// It is spawned as the tool spawns its own children (LiveNet's `ProcessSpawn`) rather than with
/// Foundation's `Process`, for three reasons: the test runner's threads block nearly every signal and
/// `Process` passes that mask on (tshark, dumpcap, nginx and an interrupted `fallback-lab` would never
/// see SIGTERM or SIGINT); the child gets its own process group, so stopping tshark also stops the
/// dumpcap it started; and it inherits no descriptor but its stdio (NIO's sockets are not
/// close-on-exec, and a peer holding a copy of a test server's socket would keep its port listening).
/// Every wait is bounded, and `stop()` signals and reaps the process, so a test that fails half-way
/// leaves nothing running. (Before issue 12 tests had six spawners of their own.)
package final class TestProcess: Sendable {
    /// Which of the child's streams are kept.
    package enum Streams: Sendable {
        /// stdout and stderr interleaved, in `output` (a peer's log).
        case merged
        /// stdout in `output`, stderr in `errors`.
        case separate
    }

    /// How a child ended.
    package enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The shell's way: the exit status, or 128 + the signal.
        package var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): 128 + signal
            }
        }
    }

    /// What a command run to its end left.
    package struct Finished: Sendable {
        /// The exit status (128 + signal), or -1 when it was killed at the time limit.
        package var status: Int32
        package var output: String
        package var errors: String
    }

    package let name: String
    package let pid: pid_t
    private let state = State()

    /// Starts `executable` with `arguments`, stdin from /dev/null.
    package init(_ executable: String, _ arguments: [String], streams: Streams = .merged) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent
        let out = try Self.makePipe(executable)
        let err: (read: Int32, write: Int32)
        switch streams {
        case .merged: err = out
        case .separate: err = try Self.makePipe(executable)
        }
        let spawned = ProcessSpawn.spawn(
            executable, argv: [executable] + arguments, input: .devNull, output: out.write, error: err.write)
        close(out.write)
        if err.write != out.write { close(err.write) }
        switch spawned {
        case .started(let child):
            pid = child
        case .failed(let code):
            close(out.read)
            if err.read != out.read { close(err.read) }
            throw SpawnError(executable: executable, code: code)
        }
        state.read(out.read, into: .output)
        if err.read != out.read { state.read(err.read, into: .errors) }
    }

    /// Runs `executable` to its end, at most `limit` (then it is killed), and keeps both streams.
    package static func run(_ executable: String, _ arguments: [String], limit: Duration = .seconds(120)) async throws -> Finished {
        let process = try TestProcess(executable, arguments, streams: .separate)
        let status = await process.waitForExit(timeout: limit)
        if status == nil { await process.stop(signal: SIGKILL) }
        await process.drain()
        return Finished(status: status ?? -1, output: process.output, errors: process.errors)
    }

    /// The same, for a synchronous test: it blocks its thread while it waits.
    package static func runBlocking(_ executable: String, _ arguments: [String], limit: Duration = .seconds(120)) throws -> Finished {
        let process = try TestProcess(executable, arguments, streams: .separate)
        let deadline = ContinuousClock.now + limit
        while process.reap() == nil, ContinuousClock.now < deadline { usleep(10_000) }
        let status = process.reap()
        if status == nil { process.terminate(signal: SIGKILL) }
        let drained = ContinuousClock.now + .seconds(2)
        while !process.state.drained, ContinuousClock.now < drained { usleep(5_000) }
        return Finished(status: status ?? -1, output: process.output, errors: process.errors)
    }

    /// What the process printed so far on stdout (and stderr, when merged).
    package var output: String { state.text(.output) }
    /// What it printed on stderr, when the streams are separate.
    package var errors: String { state.text(.errors) }

    package var isRunning: Bool { reap() == nil }

    /// How it ended, once reaped; nil while it runs.
    package var ending: Ending? {
        _ = reap()
        return state.ending.withLockedValue { $0 }
    }

    /// The CPU time (user + system) the process used, once it has exited and been reaped: how a test
    /// tells a client that waited from one that spun.
    package var cpuSeconds: Double? { state.cpuSeconds.withLockedValue { $0 } }

    /// Sends `signal` to the process (or to its whole process group) if it still runs.
    package func send(_ signal: Int32, toGroup: Bool = false) {
        if reap() == nil { kill(toGroup ? -pid : pid, signal) }
    }

    /// Waits until the output contains `needle`; false when the time runs out or the process exits first.
    package func waitForOutput(containing needle: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(needle) { return true }
            if !isRunning {
                await drain()
                return output.contains(needle)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return output.contains(needle)
    }

    /// Waits for the process to exit by itself; its exit status, or nil if it still runs at the deadline.
    package func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = reap() {
                await drain()
                return status
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return reap()
    }

    /// Waits at most `limit` for the process to end by itself; kills it if it does not (and returns nil).
    package func waitForEnding(within limit: Duration) async -> Ending? {
        if await waitForExit(timeout: limit) == nil {
            await stop(signal: SIGKILL)
            return nil
        }
        return ending
    }

    /// Sends `signal` (SIGTERM by default) to the process group, then SIGKILL if it is still there
    /// after `grace`; always reaps it. Returns the exit status.
    @discardableResult
    package func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(3)) async -> Int32 {
        if reap() == nil {
            kill(-pid, signal)
            if await waitForExit(timeout: grace) == nil { kill(-pid, SIGKILL) }
        }
        // After SIGKILL the kernel reaps promptly; the bound is only a guard.
        return await waitForExit(timeout: .seconds(5)) ?? -1
    }

    /// `stop()` for a synchronous caller (a `defer`): SIGTERM to the group, SIGKILL after two
    /// seconds, reaped; it blocks its thread meanwhile. Returns the exit status.
    @discardableResult
    package func terminate(signal: Int32 = SIGTERM) -> Int32 {
        if reap() == nil {
            kill(-pid, signal)
            let deadline = ContinuousClock.now + .seconds(2)
            while reap() == nil, ContinuousClock.now < deadline { usleep(10_000) }
            if reap() == nil { kill(-pid, SIGKILL) }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while reap() == nil, ContinuousClock.now < deadline { usleep(10_000) }
        let drained = ContinuousClock.now + .seconds(2)
        while !state.drained, ContinuousClock.now < drained { usleep(5_000) }
        return reap() ?? -1
    }

    /// Gives the pipe readers a moment to take the last bytes once the process is gone (a grandchild
    /// still holding the pipe only costs the bound).
    private func drain() async {
        let deadline = ContinuousClock.now + .seconds(2)
        while !state.drained, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(5)) }
    }

    /// The exit status once reaped (128 + the signal when a signal ended it), else nil.
    private func reap() -> Int32? {
        state.ending.withLockedValue { ending in
            if let ending { return ending.status }
            var raw: Int32 = 0
            var usage = rusage()
            guard wait4(pid, &raw, WNOHANG, &usage) == pid else { return nil }
            let signal = raw & 0x7F
            let ended: Ending = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signalled(signal)
            ending = ended
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
            state.cpuSeconds.withLockedValue { $0 = seconds(usage.ru_utime) + seconds(usage.ru_stime) }
            return ended.status
        }
    }

    private static func makePipe(_ executable: String) throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(executable: executable, code: errno) }
        return (fds[0], fds[1])
    }

    /// State shared with the pipe readers, which run on threads of their own.
    private final class State: Sendable {
        enum Stream: Sendable { case output, errors }

        struct Captured: Sendable {
            var output: [UInt8] = []
            var errors: [UInt8] = []
            var openReaders = 0

            subscript(stream: Stream) -> [UInt8] {
                get {
                    switch stream {
                    case .output: output
                    case .errors: errors
                    }
                }
                set {
                    switch stream {
                    case .output: output = newValue
                    case .errors: errors = newValue
                    }
                }
            }
        }

        let captured = NIOLockedValueBox(Captured())
        let ending = NIOLockedValueBox<Ending?>(nil)
        let cpuSeconds = NIOLockedValueBox<Double?>(nil)

        var drained: Bool { captured.withLockedValue { $0.openReaders == 0 } }

        func text(_ stream: Stream) -> String {
            captured.withLockedValue { String(decoding: $0[stream], as: UTF8.self) }
        }

        /// Reads `descriptor` to its end on a thread of its own, with blocking reads: the end of the
        /// stream is then seen for certain (Foundation's readability handler on Linux missed it after
        /// data, which cost every wait its bound).
        func read(_ descriptor: Int32, into stream: Stream) {
            captured.withLockedValue { $0.openReaders += 1 }
            let thread = Thread { [captured] in
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, $0.count) }
                    if count > 0 {
                        captured.withLockedValue { $0[stream].append(contentsOf: buffer[0..<count]) }
                    } else if count < 0, errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                close(descriptor)
                captured.withLockedValue { $0.openReaders -= 1 }
            }
            thread.start()
        }
    }

    package struct SpawnError: Error, CustomStringConvertible {
        package let executable: String
        package let code: Int32
        package var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }
}

/// `read(2)`, under a name the reader's method does not shadow.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
