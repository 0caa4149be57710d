import ArgumentParser
import Foundation
import LiveNet

/// What `--network netns` needs before its first run: a probe that namespaces, `ip` and `nft` work
/// here, our own executable to run inside them, and the host namespace the worker must not be in.
enum NamespaceSetup {
    /// On failure prints the cause and the fix and exits 70: the command line was fine, the machine
    /// cannot do it. Nothing has run and no report is written.
    static func prepare() async throws -> (NamespaceLauncher, UInt64) {
        func fail(_ text: String) -> ExitCode {
            FileHandle.standardError.write(Data("fallback-lab: --network netns: \(text)\n".utf8))
            return ExitCode(70)
        }
        do {
            try await NamespaceLauncher.probe()
        } catch {
            throw fail(error.description)
        }
        guard let host = NamespaceLauncher.currentNamespace() else {
            throw fail("cannot read this process's network namespace (/proc/self/ns/net)")
        }
        guard let executable = ownExecutable() else {
            throw fail("cannot find this program's own executable (/proc/self/exe) to run inside the namespace")
        }
        return (NamespaceLauncher(executable: executable), host)
    }

    private static func ownExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
