import LiveNet

#if canImport(Glibc)
import Glibc
#endif

extension LiveNetworkChoice {
    /// Why a live network cannot be used on this machine; said once, before anything runs (exit 70:
    /// the command line was fine, the machine cannot do it).
    package struct Unavailable: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// The live network `name` stands for, ready to run: `nil` for `sim`; for `netns`, a probe that
    /// namespaces, `ip` and `nft` work here, this program's own executable to run inside them, and
    /// the host namespace the worker must not be in.
    package static func prepare(_ name: NetworkName) async throws(Unavailable) -> LiveNetworkChoice? {
        switch name {
        case .sim: return nil
        case .loopback: return .loopback
        case .netns:
            do {
                try await NamespaceLauncher.probe()
            } catch {
                throw Unavailable(description: "--network netns: \(error.description)")
            }
            guard let host = NamespaceLauncher.currentNamespace() else {
                throw Unavailable(description: "--network netns: cannot read this process's network namespace (/proc/self/ns/net)")
            }
            guard let executable = ownExecutable() else {
                throw Unavailable(description: "--network netns: cannot find this program's own executable (/proc/self/exe) to run inside the namespace")
            }
            return .netns(NamespaceLauncher(executable: executable), hostNamespace: host)
        }
    }

    private static func ownExecutable() -> String? {
        #if canImport(Glibc)
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
