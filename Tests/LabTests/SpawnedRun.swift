import Foundation
@testable import LiveNet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process with SIGINT and SIGTERM at their default actions and none blocked, output
/// discarded.
///
/// The test runner's threads block nearly every signal, and a child inherits the mask (Foundation's
/// `Process` passes it on): an interrupt sent to such a child would never arrive. LiveNet's
/// `ProcessSpawn`, which starts every child of the tool, gives it an empty mask and default
/// dispositions, as a shell would.
final class SpawnedRun {
    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// How the child ended.
    enum Ending: Equatable {
        case exited(Int32)
        case signalled(Int32)
    }

    let pid: pid_t
    private var ending: Ending?

    init(_ executable: String, _ arguments: [String]) throws {
        let devNull = open("/dev/null", O_WRONLY)
        guard devNull >= 0 else { throw SpawnError(executable: executable, code: errno) }
        defer { close(devNull) }
        switch ProcessSpawn.spawn(executable, argv: [executable] + arguments, input: .devNull, output: devNull, error: devNull) {
        case .started(let child): pid = child
        case .failed(let code): throw SpawnError(executable: executable, code: code)
        }
    }

    /// Reaps the child if it ended; nil while it runs.
    func poll() -> Ending? {
        if let ending { return ending }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7F
        ending = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        return ending
    }

    func send(_ signal: Int32) {
        if poll() == nil { kill(pid, signal) }
    }

    /// Waits at most `limit` for the child to end; kills it if it does not (and returns nil).
    func waitForExit(within limit: Duration) async -> Ending? {
        let deadline = ContinuousClock.now + limit
        while poll() == nil, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        if let ending = poll() { return ending }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        return nil
    }
}
