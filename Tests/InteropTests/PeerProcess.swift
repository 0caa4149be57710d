import Foundation
@testable import LiveNet
import NIOConcurrencyHelpers

/// A real peer (ffmpeg, rtmpdump, nginx, tshark) run as a child process for one test.
///
/// Every wait is bounded, and `stop()` signals and reaps the process, so a test that fails half-way
/// leaves nothing running. It is spawned as the tool spawns its own children (LiveNet's
/// `ProcessSpawn`) rather than with Foundation's `Process`, for two reasons: the test runner's threads
/// block nearly every signal and `Process` passes that mask on (tshark, dumpcap and nginx would never
/// see SIGTERM), and the peer gets its own process group, so
/// stopping tshark also stops the dumpcap it started. The child inherits no descriptor but its
/// stdio: NIO's sockets are not close-on-exec, and a peer holding a copy of a test server's socket
/// would keep its port listening, and its connections open, after the server closed them.
final class PeerProcess: Sendable {
    let name: String
    private let pid: pid_t
    private let captured = CapturedOutput()

    /// Starts `executable` with `arguments`, stdin from /dev/null, stdout and stderr captured together.
    init(_ executable: String, _ arguments: [String]) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SpawnError(executable: executable, code: errno) }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        let spawned = ProcessSpawn.spawn(
            executable, argv: [executable] + arguments, input: .devNull, output: writeEnd, error: writeEnd)
        close(writeEnd)
        switch spawned {
        case .started(let child):
            pid = child
        case .failed(let code):
            close(readEnd)
            throw SpawnError(executable: executable, code: code)
        }

        let reader = FileHandle(fileDescriptor: readEnd, closeOnDealloc: true)
        reader.readabilityHandler = { [captured] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                captured.bytes.withLockedValue { $0.append(contentsOf: data) }
            }
        }
        captured.reader.withLockedValue { $0 = reader }
    }

    /// Everything the process printed so far, stdout and stderr interleaved.
    var output: String {
        captured.bytes.withLockedValue { String(decoding: $0, as: UTF8.self) }
    }

    /// The exit status once reaped (the signal number + 128 when a signal ended it), else nil.
    private func reap() -> Int32? {
        captured.status.withLockedValue { status in
            if let status { return status }
            var raw: Int32 = 0
            var usage = rusage()
            let result = wait4(pid, &raw, WNOHANG, &usage)
            guard result == pid else { return nil }
            let signal = raw & 0x7F
            status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
            func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
            captured.cpuSeconds.withLockedValue { $0 = seconds(usage.ru_utime) + seconds(usage.ru_stime) }
            return status
        }
    }

    var isRunning: Bool { reap() == nil }

    /// The CPU time (user + system) the process used, once it has exited and been reaped: how a test
    /// tells a client that waited from one that spun.
    var cpuSeconds: Double? { captured.cpuSeconds.withLockedValue { $0 } }

    /// Waits until the output contains `needle`; false when the time runs out or the process exits first.
    func waitForOutput(containing needle: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(needle) { return true }
            if !isRunning {
                // The pipe may still hold the last lines: give the reader a moment.
                try? await Task.sleep(for: .milliseconds(50))
                return output.contains(needle)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return output.contains(needle)
    }

    /// Waits for the process to exit by itself; its exit status, or nil if it still runs at the deadline.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = reap() {
                try? await Task.sleep(for: .milliseconds(30))  // let the reader drain the pipe
                return status
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return reap()
    }

    /// Sends `signal` (SIGTERM by default) to the peer's process group, then SIGKILL if it is still
    /// there after `grace`; always reaps it. Returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(3)) async -> Int32 {
        if reap() == nil {
            kill(-pid, signal)
            if await waitForExit(timeout: grace) == nil {
                kill(-pid, SIGKILL)
            }
        }
        // After SIGKILL the kernel reaps promptly; the bound is only a guard.
        if let status = await waitForExit(timeout: .seconds(5)) { return status }
        return -1
    }

    /// State shared with the pipe reader, which runs on Foundation's reader thread.
    private final class CapturedOutput: Sendable {
        let bytes = NIOLockedValueBox<[UInt8]>([])
        let status = NIOLockedValueBox<Int32?>(nil)
        let cpuSeconds = NIOLockedValueBox<Double?>(nil)
        let reader = NIOLockedValueBox<FileHandle?>(nil)
    }

    struct SpawnError: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }
}
