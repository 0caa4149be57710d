import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A short command run to completion (at most `limit`, then killed) with its stdout and stderr kept:
/// `posix_spawn`, argv, an empty signal mask, no inherited descriptor but stdio. It waits with
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

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 && fcntl(descriptor, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }

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
