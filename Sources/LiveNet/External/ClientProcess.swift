#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs an external client (ffmpeg, rtmpdump, a player's test binary) as a child process, bounded.
///
/// - **No shell.** The argv goes to `posix_spawn` as given; a bare program name is looked up in
///   `PATH` here, so a missing one is a clear error rather than a shell's "command not found".
/// - **Nothing inherited but stdio.** stdin is `/dev/null`; stdout and stderr are pipes read into
///   bounded tails; every other descriptor is closed in the child. NIO's sockets are not
///   close-on-exec: a client holding a copy of our server's socket would keep its port open after
///   the server closed it.
/// - **Signals as a shell would leave them.** The caller's threads (the test runner's, NIO's) block
///   most signals and `posix_spawn` would pass that mask on, so a client could never be told to stop
///   with SIGTERM. The child gets an empty mask and default handlers.
/// - **Its own process group**, so stopping it stops whatever it started too.
/// - **Bounded.** After `timeout` the group gets SIGTERM, after `grace` SIGKILL; the process is
///   always reaped before `run` returns, also when the calling task is cancelled.
///
/// Used by `ExternalClientRun` on the loopback network; any other runtime (a worker inside a
/// network namespace) can call it the same way.
package enum ClientProcess {
    /// How often the supervisor reads the pipes, reaps and calls `watch`.
    package static let pollInterval: Duration = .milliseconds(5)

    /// Starts `arguments[0]` with `arguments` and supervises it until it exits, its time runs out or
    /// `watch` returns true.
    /// - Parameters:
    ///   - timeout: from the spawn; then SIGTERM to its process group.
    ///   - grace: between SIGTERM and SIGKILL.
    ///   - outputLimit: bytes kept of each of stdout and stderr (the newest).
    ///   - watch: called every `pollInterval` while it runs, on the supervising thread; returning true
    ///     stops it like a timeout (reason `.stopped`). It must not block.
    ///
    /// The supervision (polling, the timeout, the signals, the reaping) runs on a thread of its own,
    /// not on Swift's cooperative pool: a pool kept busy by other work (the lab's simulations, a test
    /// suite's parallel tests) must not delay a client's timeout or the times measured.
    package static func run(
        _ arguments: [String], timeout: Duration, grace: Duration = .seconds(2), outputLimit: Int = 4_096,
        watch: @escaping @Sendable () -> Bool = { false }
    ) async throws(ClientLaunchError) -> ClientProcessResult {
        guard let program = arguments.first, !program.isEmpty else { throw .noProgram }
        let executable = try resolve(program)
        var output = [Int32](repeating: -1, count: 2)
        var errors = [Int32](repeating: -1, count: 2)
        guard pipe(&output) == 0 else { throw .spawnFailed(program, String(cString: strerror(errno))) }
        guard pipe(&errors) == 0 else {
            let reason = String(cString: strerror(errno))
            close(output[0])
            close(output[1])
            throw .spawnFailed(program, reason)
        }
        for fd in output + errors { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        for fd in [output[0], errors[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        let started = ContinuousClock.now
        let spawned = ProcessSpawn.spawn(executable, argv: arguments, input: .devNull, output: output[1], error: errors[1])
        close(output[1])
        close(errors[1])
        let pid: pid_t
        switch spawned {
        case .started(let child):
            pid = child
        case .failed(let code):
            close(output[0])
            close(errors[0])
            throw .spawnFailed(program, String(cString: strerror(code)))
        }

        let cancelled = CancellationFlag()
        let supervisor = Supervisor(
            arguments: arguments, executable: executable, pid: pid, stdout: output[0], stderr: errors[0],
            outputLimit: outputLimit)
        let watching = Watching(
            started: started, deadline: started + timeout, grace: grace, watch: watch, cancelled: cancelled)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ClientProcessResult, Never>) in
                let launched = SupervisorThread.start {
                    var supervisor = supervisor
                    continuation.resume(returning: supervisor.supervise(watching))
                }
                if !launched {
                    // No thread to spare: supervise here, on the task's own thread.
                    var supervisor = supervisor
                    continuation.resume(returning: supervisor.supervise(watching))
                }
            }
        } onCancel: {
            cancelled.set()
        }
    }

    /// The path to execute: `program` itself when it contains a `/`, else the first executable
    /// `PATH` entry of that name.
    static func resolve(_ program: String) throws(ClientLaunchError) -> String {
        if program.contains("/") {
            guard access(program, X_OK) == 0 else { throw .notExecutable(program) }
            return program
        }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = directory + "/" + program
            var information = stat()
            guard stat(candidate, &information) == 0, information.st_mode & S_IFMT == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
        }
        throw .programNotFound(program)
    }
}
