import Foundation

/// Free loopback ports for peers that cannot report the port they bound, and a way to wait for them
/// to listen without connecting (ffmpeg `-listen 1` serves exactly one connection).
enum LoopbackPorts {
    /// A port the kernel just handed out for 127.0.0.1 and that nobody holds now.
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PortError.socket(errno) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw PortError.bind(errno) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw PortError.bind(errno) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether some socket listens on TCP `port`, read from the kernel's table (`/proc/net/tcp`,
    /// state 0A) so that checking does not consume a connection.
    static func isListening(_ port: Int) -> Bool {
        let hexPort = String(format: ":%04X", port)
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3 else { continue }
                if fields[1].hasSuffix(hexPort), fields[3] == "0A" { return true }
            }
        }
        return false
    }

    /// Polls `isListening` until the deadline; bounded.
    static func waitUntilListening(_ port: Int, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isListening(port) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isListening(port)
    }

    enum PortError: Error {
        case socket(Int32)
        case bind(Int32)
    }
}
