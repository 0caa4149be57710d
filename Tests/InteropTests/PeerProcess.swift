import Foundation
import Synchronization

/// A real peer (ffmpeg, rtmpdump, nginx, tshark) run as a child process for one test.
///
/// Every wait is bounded, and `stop()` terminates and reaps the process, so a test that fails half-way
/// leaves nothing running: tests call it in a `defer`-like path on success and failure alike.
final class PeerProcess: Sendable {
    let name: String
    private let process: Process
    private let captured = CapturedOutput()

    /// Starts `executable` with `arguments`, capturing stdout and stderr together.
    init(_ executable: String, _ arguments: [String], currentDirectory: URL? = nil) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [captured] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                captured.bytes.withLock { $0.append(contentsOf: data) }
            }
        }
        try process.run()
    }

    /// Everything the process printed so far, stdout and stderr interleaved.
    var output: String {
        captured.bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }

    var isRunning: Bool { process.isRunning }

    /// Waits until the output contains `needle`; false when the time runs out or the process exits first.
    func waitForOutput(containing needle: String, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(needle) { return true }
            if !process.isRunning {
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
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        try? await Task.sleep(for: .milliseconds(30))  // let the reader drain the pipe
        return process.terminationStatus
    }

    /// Sends `signal` (SIGTERM by default), then SIGKILL if the process is still there after `grace`;
    /// always reaps it. Returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(3)) async -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, signal)
            if await waitForExit(timeout: grace) == nil {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        process.waitUntilExit()
        try? await Task.sleep(for: .milliseconds(30))
        return process.terminationStatus
    }

    /// The pipe reader appends here from Foundation's reader thread; the test reads it from its task.
    private final class CapturedOutput: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }
}
