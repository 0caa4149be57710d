import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether this machine can run `--network netns` tests: root (user namespaces are not tried by the
/// tests), `unshare`, `ip` and `nft` installed, and a throwaway namespace where `nft` answers (a
/// container without CAP_SYS_ADMIN has the tools but cannot make namespaces). Checked once.
enum NetnsGate {
    static func tool(_ name: String) -> String? {
        for folder in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }

    static let missing: String? = {
        if getuid() != 0 { return "not root" }
        for name in ["unshare", "ip", "nft"] where tool(name) == nil { return "\(name) is not installed" }
        guard let unshare = tool("unshare"), let nft = tool("nft") else { return "unshare or nft is missing" }
        let status = run(unshare, ["--net", "--mount", "--", nft, "list", "ruleset"])
        return status == 0 ? nil : "a network namespace with nft cannot be made here (status \(status))"
    }()

    static var available: Bool {
        if let missing {
            print("netns tests skipped: \(missing)")
            return false
        }
        return true
    }

    /// Runs a short command to its end (output discarded) and returns its exit status; 10 s at most.
    private static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        guard posix_spawn(&child, executable, &actions, nil, argv, environ) == 0 else { return -1 }
        var raw: Int32 = 0
        for _ in 0..<1000 {
            if waitpid(child, &raw, WNOHANG) == child { return (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F) }
            usleep(10_000)
        }
        kill(child, SIGKILL)
        _ = waitpid(child, &raw, 0)
        return -1
    }
}
