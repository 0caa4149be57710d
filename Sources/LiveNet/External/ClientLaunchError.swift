/// Why an external client could not be started. Each case says it in the words a scenario author
/// needs: which program, and what to do.
package enum ClientLaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program is a bare name that no directory of `PATH` holds.
    case programNotFound(String)
    /// The program names a path that does not exist or cannot be executed.
    case notExecutable(String)
    /// `posix_spawn` (or the pipes before it) failed; the system's words.
    case spawnFailed(String, String)
    /// The argument list was empty.
    case noProgram

    package var description: String {
        switch self {
        case .programNotFound(let name): "client.command: program '\(name)' not found in PATH"
        case .notExecutable(let path): "client.command: '\(path)' does not exist or is not executable"
        case .spawnFailed(let program, let reason): "client.command: cannot start '\(program)': \(reason)"
        case .noProgram: "client.command: no program to run"
        }
    }
}
