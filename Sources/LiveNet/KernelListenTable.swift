#if canImport(Glibc)
import Glibc
#endif

/// Which TCP ports have a listening socket on this machine, read from the kernel (`/proc/net/tcp`).
///
/// Reading the table rather than connecting matters for peers that serve one connection only
/// (ffmpeg `-listen 1`), and for checking that a port was released. Linux only; elsewhere the answer
/// is always false.
package enum KernelListenTable {
    /// Whether some socket listens on TCP `port` (IPv4 or IPv6): state `0A` in the kernel's table.
    package static func isListening(_ port: Int) -> Bool {
        !listeners(port: port).isEmpty
    }

    /// The local addresses listening on TCP `port`, as the kernel's tables write them (`0100007F:078F`
    /// is 127.0.0.1:1935; IPv6 ones have 32 hex digits before the colon).
    package static func listeners(port: Int) -> [String] {
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        var found: [String] = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = read(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3 else { continue }
                if fields[1].hasSuffix(hexPort), fields[3] == "0A" { found.append(String(fields[1])) }
            }
        }
        return found
    }

    /// Polls `isListening` until it equals `listening` or the deadline passes; bounded.
    package static func wait(until listening: Bool, port: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isListening(port) == listening { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isListening(port) == listening
    }

    /// The whole file, without Foundation (at most 4 MiB: the table of a busy machine fits), read until
    /// end of file. A /proc table reports size 0 and comes a page per read(2); Foundation's
    /// `String(contentsOfFile:)` returned only the first page of it (4,050 characters under the full
    /// suite, when 1935's line was the 47th of 185), so a listener past the first page went unseen.
    static func read(_ path: String) -> String? {
        #if canImport(Glibc)
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count < 4 << 20 {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }
}
