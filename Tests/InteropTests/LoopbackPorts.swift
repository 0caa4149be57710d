import Foundation
import LiveNet
import TestSupport

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

    /// Waits (bounded) until some socket listens on `port`, without connecting to it.
    static func waitUntilListening(_ port: Int, timeout: Duration) async -> Bool {
        await KernelListenTable.wait(until: true, port: port, timeout: timeout)
    }
}
