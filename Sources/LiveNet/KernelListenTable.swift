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
        let hex = String(port, radix: 16, uppercase: true)
        let hexPort = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = read(table) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3 else { continue }
                if fields[1].hasSuffix(hexPort), fields[3] == "0A" { return true }
            }
        }
        return false
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

    /// The whole file, without Foundation (at most 4 MiB: the table of a busy machine fits).
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
