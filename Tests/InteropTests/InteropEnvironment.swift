import Foundation

/// Where the real peers are, and whether a missing one skips a test or fails it.
///
/// Locally a missing peer skips the test with a message naming it; in CI (`CI` set) the test runs and
/// fails with that message, so a green CI run means every interop test was executed.
enum InteropEnvironment {
    static var isCI: Bool {
        guard let value = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false", "no"].contains(value.lowercased())
    }

    /// The full path of `name` on `PATH` (plus the sbin directories, where Debian puts nginx).
    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether a test needing `names` should run: always in CI, else only when all are installed.
    static func canRun(_ names: String...) -> Bool {
        isCI || names.allSatisfy { executable($0) != nil }
    }

    /// Live captures on the loopback interface need root (or capture capabilities on tshark).
    static var canCapture: Bool {
        isCI || (geteuid() == 0 && executable("tshark") != nil)
    }

    /// The path of `name`, or an error that names the package to install.
    static func require(_ name: String) throws -> String {
        guard let path = executable(name) else { throw MissingPeer(name: name) }
        return path
    }

    struct MissingPeer: Error, CustomStringConvertible {
        let name: String
        var description: String {
            "\(name) is not installed: scripts/ensure-packages installs it (CI runs .ci/run, which must)"
        }
    }
}
