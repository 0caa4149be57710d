import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's open file descriptors, and which of them are TCP sockets on a given port.
///
/// A leak check has to count only the sockets the test itself caused: swift-testing runs other suites
/// in the same process at the same time, so the process's total moves for reasons of its own. A socket
/// descriptor links to `socket:[inode]`, and `/proc/net/tcp{,6}` names each inode's local and remote
/// ports, which ties every descriptor to the server port under test.
enum LoopbackSockets {
    /// Every open descriptor of this process (`/proc/self/fd`).
    static func openDescriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }

    /// Descriptors of this process that are TCP sockets whose local or remote port is `port` (the
    /// listening socket, the server's accepted connections and the clients' connections to it).
    static func descriptors(onPort port: Int) -> Int {
        let inodes = socketInodes(onPort: port)
        guard !inodes.isEmpty else { return 0 }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var count = 0
        for entry in entries {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(entry)"),
                target.hasPrefix("socket:["), target.hasSuffix("]")
            else { continue }
            if inodes.contains(String(target.dropFirst(8).dropLast())) { count += 1 }
        }
        return count
    }

    /// Inodes of TCP sockets (IPv4 and IPv6) with `port` at either end. TIME_WAIT entries have inode 0
    /// and belong to no descriptor; they are skipped.
    static func socketInodes(onPort port: Int) -> Set<String> {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = readWhole(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count > 9 else { continue }
                let ports = [fields[1], fields[2]].compactMap { $0.split(separator: ":").last.flatMap { Int($0, radix: 16) } }
                guard ports.contains(port), fields[9] != "0" else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        return inodes
    }

    /// Reads a procfs file to its end. Proc files report a size of 0 and hand out a page per read;
    /// a reader trusting the size (as `String(contentsOfFile:)` does) sees only the first lines.
    static func readWhole(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        // Bounded: a socket table of a few hundred thousand lines at most.
        for _ in 0..<100_000 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Raises the soft descriptor limit to `wanted` (or the hard limit, if lower) and returns the soft
    /// limit in force afterwards: a thousand clients and their server connections need ~2,000
    /// descriptors in one process, more than the common default of 1,024.
    static func raiseDescriptorLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        if limit.rlim_cur < rlim_t(wanted) {
            limit.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
