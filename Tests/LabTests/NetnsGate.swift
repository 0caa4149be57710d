import Foundation
import TestSupport

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

    /// Runs a short command to its end (output discarded) and returns its exit status (128 + the
    /// signal if one ended it); 10 s at most, then it is killed and -1 returned.
    private static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        (try? TestProcess.runBlocking(executable, arguments, limit: .seconds(10)).status) ?? -1
    }
}
