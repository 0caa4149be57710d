import Foundation
import NIOConcurrencyHelpers

/// A real peer (ffmpeg, rtmpdump, nginx, tshark) run as a child process for one test.
///
/// Every wait is bounded, and `stop()` signals and reaps the process, so a test that fails half-way
/// leaves nothing running. It is spawned with `posix_spawn` rather than Foundation's `Process` for two
/// reasons: the test runner's threads block nearly every signal and `Process` passes that mask on
/// (tshark, dumpcap and nginx would never see SIGTERM), and the peer gets its own process group, so
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        Self.closeInheritedDescriptors(&actions, except: [readEnd, writeEnd])

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw SpawnError(executable: executable, code: spawned)
        }
        pid = child

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

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Swift overlay does not
    /// expose: found at run time.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: CloseFrom.self) }

    /// Closes every descriptor from 3 up in the child: with `closefrom` where glibc has it, else
    /// each descriptor open now (listed from /proc/self/fd).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t, except: Set<Int32>) {
        if let closeFrom, closeFrom(&actions, 3) == 0 { return }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 && !except.contains(descriptor) {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
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
            let result = waitpid(pid, &raw, WNOHANG)
            guard result == pid else { return nil }
            let signal = raw & 0x7F
            status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
            return status
        }
    }

    var isRunning: Bool { reap() == nil }

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
        let reader = NIOLockedValueBox<FileHandle?>(nil)
    }

    struct SpawnError: Error, CustomStringConvertible {
        let executable: String
        let code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }
}
