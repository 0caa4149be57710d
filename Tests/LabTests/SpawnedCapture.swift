import Foundation
@testable import LiveNet

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A short command run to completion (at most `limit`, then killed) with its stdout and stderr kept,
/// started as the tool starts its own children (LiveNet's `ProcessSpawn`: argv, an empty signal mask,
/// no inherited descriptor but stdio). It waits with
/// `Task.sleep`, never blocking a thread of the shared cooperative pool (other suites' supervisors
/// poll on it).
struct SpawnedCapture {
    struct SpawnError: Error, CustomStringConvertible {
        var executable: String
        var code: Int32
        var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    var status: Int32
    var output: String
    var errors: String

    init(_ executable: String, _ arguments: [String], limit: Duration = .seconds(30)) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outPath = folder.appendingPathComponent("out").path
        let errPath = folder.appendingPathComponent("err").path

        let out = open(outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let err = open(errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer {
            if out >= 0 { close(out) }
            if err >= 0 { close(err) }
        }
        guard out >= 0, err >= 0 else { throw SpawnError(executable: executable, code: errno) }
        let child: pid_t
        switch ProcessSpawn.spawn(executable, argv: [executable] + arguments, input: .devNull, output: out, error: err) {
        case .started(let pid): child = pid
        case .failed(let code): throw SpawnError(executable: executable, code: code)
        }

        let deadline = ContinuousClock.now + limit
        var raw: Int32 = 0
        var reaped = false
        while ContinuousClock.now < deadline {
            if waitpid(child, &raw, WNOHANG) == child {
                reaped = true
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if !reaped {
            kill(child, SIGKILL)
            _ = waitpid(child, &raw, 0)
        }
        let signal = raw & 0x7F
        status = reaped ? (signal == 0 ? (raw >> 8) & 0xFF : 128 + signal) : -1
        output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        errors = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
    }
}
