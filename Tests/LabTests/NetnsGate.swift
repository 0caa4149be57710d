import Foundation

/// Whether this machine can run `--network netns` tests: root (user namespaces are not tried by the
/// tests) and `unshare`, `ip` and `nft` installed. Checked without creating anything; the run itself
/// then probes for real.
enum NetnsGate {
    static func tool(_ name: String) -> String? {
        for folder in ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
        return nil
    }

    static var missing: String? {
        if getuid() != 0 { return "not root" }
        for name in ["unshare", "ip", "nft"] where tool(name) == nil { return "\(name) is not installed" }
        return nil
    }

    static var available: Bool {
        if let missing {
            print("netns tests skipped: \(missing)")
            return false
        }
        return true
    }
}
