import Foundation
import LiveNet

/// Free loopback ports for peers that cannot report the port they bound, and a way to wait for them
/// to listen without connecting (ffmpeg `-listen 1` serves exactly one connection). A port that must
/// refuse is a `ReservedPort`.
enum LoopbackPorts {
    /// A port free on 127.0.0.1 now, outside the kernel's ephemeral range so that no port-0 bind in a
    /// parallel test takes it before the peer binds it.
    static func free() throws -> Int {
        guard let port = ReservedPort.freeBelowEphemeralRange() else { throw NoFreePort() }
        return port
    }

    struct NoFreePort: Error {}

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
}
