#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// Two loopback ports whose answers come from the kernel itself, no root needed:
///
/// - `closedPort`: a socket bound and never listening. A SYN to it gets a real RST (ECONNREFUSED),
///   and no other process can take the port while we hold it.
/// - `silentPort`: a socket listening with a backlog of 0 whose one queue slot is taken by a
///   connection of our own that is never accepted. Linux drops every further SYN while the accept
///   queue is full (`ListenOverflows`), so a client sees exactly a firewall's silent drop: its stack
///   retransmits the SYN until its connect timeout.
final class KernelEndpoints: Sendable {
    let closedPort: Int
    let silentPort: Int
    /// Both ports' reservations and the queue filler's descriptor, until `close`.
    private let held: NIOLockedValueBox<(ports: [ReservedPort], filler: Int32)?>

    private init(closed: ReservedPort, silent: ReservedPort, filler: Int32) {
        self.closedPort = closed.port
        self.silentPort = silent.port
        self.held = NIOLockedValueBox((ports: [closed, silent], filler: filler))
    }

    /// Opens both ports on 127.0.0.1; on any failure closes what it opened and names the step.
    static func open() throws(LiveRunError) -> KernelEndpoints {
        func fail(_ step: String, _ code: Int32 = errno) -> LiveRunError {
            .network("\(step): \(String(cString: strerror(code)))")
        }
        func reserve(_ port: String) throws(LiveRunError) -> ReservedPort {
            do {
                return try ReservedPort()
            } catch {
                switch error {
                case .socket(let code): throw fail("socket for the \(port)", code)
                case .bind(let code): throw fail("bind of the \(port)", code)
                }
            }
        }
        let closed = try reserve("closed port")
        let silent = try reserve("silent port")
        guard listen(silent.descriptor, 0) == 0 else { throw fail("listen on the silent port") }
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard filler >= 0 else { throw fail("socket for the queue filler") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(silent.port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let failure = fail("connect of the queue filler")
            _ = Glibc.close(filler)
            throw failure
        }
        return KernelEndpoints(closed: closed, silent: silent, filler: filler)
    }

    /// Releases the ports. Safe to call twice.
    func close() {
        let open = held.withLockedValue { held in
            defer { held = nil }
            return held
        }
        // The reservations close their sockets as the last reference to them goes, here.
        if let open { _ = Glibc.close(open.filler) }
    }

    deinit { close() }
}
