import Foundation
import NIOPosix

/// Starts a process in a private network namespace of its own — one per run — and takes its result
/// back: the parent side of `--network netns`.
///
/// The child is `unshare --net --mount` (plus `--user --map-root-user` when we are not root, which
/// needs unprivileged user namespaces) running `executable` with the given arguments; that worker
/// builds a `LiveRun` with `.privateNamespace`, prints the `LiveRunResult` as JSON on stdout and exits.
/// When it exits the kernel destroys the namespace with every rule, socket and route in it, so a
/// crashed worker leaves nothing behind either. `unshare` is spawned with `posix_spawn` (argv, no
/// shell), a clean signal mask, no inherited descriptors, and is killed when its timeout passes.
package struct NamespaceLauncher: Sendable {
    /// Why no namespace run can happen on this machine, and what to do about it.
    package struct Unavailable: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var fix: String
        package var description: String { "network namespaces are not available: \(reason). \(fix)" }
    }

    /// The program run inside the namespace (our own executable).
    package var executable: String

    package init(executable: String) {
        self.executable = executable
    }

    /// The inode of this process's network namespace: how the worker knows it is not in the host's.
    package static func currentNamespace() -> UInt64? {
        var information = stat()
        guard stat("/proc/self/ns/net", &information) == 0 else { return nil }
        return UInt64(information.st_ino)
    }

    /// `unshare`'s options: a user namespace too when we are not root.
    static var unshareOptions: [String] {
        (getuid() == 0 ? [] : ["--user", "--map-root-user"]) + ["--net", "--mount"]
    }

    /// Makes a throwaway namespace and runs `ip` and `nft` in it, as a run would. Throws with the
    /// cause and the fix when namespaces, `ip` or `nft` are missing or not permitted. Touches
    /// nothing outside that namespace.
    package static func probe() async throws(Unavailable) {
        let userFix = getuid() == 0
            ? "Run where creating network namespaces is permitted (a container may need CAP_SYS_ADMIN)."
            : "Run as root, or allow unprivileged user namespaces (kernel.unprivileged_userns_clone=1, "
                + "user.max_user_namespaces > 0, kernel.apparmor_restrict_unprivileged_userns=0)."
        guard ChildProcess.locate("unshare") != nil else {
            throw Unavailable(reason: "unshare is not installed", fix: "Install util-linux.")
        }
        for tool in ["ip", "nft"] where ChildProcess.locate(tool) == nil {
            throw Unavailable(
                reason: "\(tool) is not installed", fix: tool == "ip" ? "Install iproute2." : "Install nftables.")
        }
        let checks: [(arguments: [String], input: String)] = [
            (["ip", "link", "set", "lo", "up"], ""),
            (["nft", "-f", "-"], "table inet \(NftablesRuleset.table)_probe {\n  chain probe { type filter hook output priority 0; policy accept; }\n}\n"),
        ]
        for check in checks {
            guard let tool = ChildProcess.locate(check.arguments[0]) else { continue }
            let process = ChildProcess(
                executable: "unshare", arguments: unshareOptions + ["--", tool] + check.arguments.dropFirst(),
                input: Array(check.input.utf8), timeout: .seconds(15))
            let result: ChildProcess.Result
            do {
                result = try await NIOThreadPool.singleton.runIfActive { try process.run() }
            } catch {
                throw Unavailable(reason: "\(error)", fix: userFix)
            }
            guard result.succeeded else {
                let text = result.errorText.isEmpty ? "exit \(result.status)" : result.errorText
                let reason = text.hasPrefix("unshare:")
                    ? "cannot create a network namespace (\(text))"
                    : "\(check.arguments[0]) in a new namespace failed: \(text)"
                throw Unavailable(reason: reason, fix: userFix)
            }
        }
    }

    /// Runs the worker (`executable` with `arguments`) in a fresh namespace and decodes its result.
    /// `timeout` bounds the whole process; it is killed (its process group) when it passes.
    ///
    /// The result is a `LiveRunResult`, or, for a worker that runs an external client
    /// (`ExternalClientRun` with `.privateNamespace`), the `ExternalClientResult` it measured.
    package func run<Value: Decodable>(arguments: [String], timeout: Duration) async throws(LiveRunError) -> Value {
        let process = ChildProcess(
            executable: "unshare", arguments: Self.unshareOptions + ["--", executable] + arguments, timeout: timeout)
        let result: ChildProcess.Result
        do {
            result = try await NIOThreadPool.singleton.runIfActive { try process.run() }
        } catch {
            throw .network("cannot start the namespace worker: \(error)")
        }
        guard !result.timedOut else {
            throw .network("the namespace worker did not finish within \(timeout) and was killed")
        }
        guard result.status == 0 else {
            let text = result.errorText
            throw .network(text.isEmpty ? "the namespace worker exited with status \(result.status)" : text)
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(result.standardOutput))
        } catch {
            throw .network("the namespace worker's result cannot be read: \(error)")
        }
    }

    /// What the worker prints on stdout for `run` (a `LiveRunResult` or an `ExternalClientResult`) to
    /// read.
    package static func encode(_ result: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(result)
    }
}
