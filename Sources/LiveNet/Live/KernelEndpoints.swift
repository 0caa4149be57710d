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
    private let descriptors: NIOLockedValueBox<[Int32]>

    private init(closedPort: Int, silentPort: Int, descriptors: [Int32]) {
        self.closedPort = closedPort
        self.silentPort = silentPort
        self.descriptors = NIOLockedValueBox(descriptors)
    }

    /// Opens both ports on 127.0.0.1; on any failure closes what it opened and names the step.
    static func open() throws(LiveRunError) -> KernelEndpoints {
        var opened: [Int32] = []
        func fail(_ step: String) -> LiveRunError {
            let reason = String(cString: strerror(errno))
            for fd in opened { _ = Glibc.close(fd) }
            return .network("\(step): \(reason)")
        }
        let closed = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard closed >= 0 else { throw fail("socket for the closed port") }
        opened.append(closed)
        guard let closedPort = bindLoopback(closed) else { throw fail("bind of the closed port") }

        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard silent >= 0 else { throw fail("socket for the silent port") }
        opened.append(silent)
        guard let silentPort = bindLoopback(silent) else { throw fail("bind of the silent port") }
        guard listen(silent, 0) == 0 else { throw fail("listen on the silent port") }
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard filler >= 0 else { throw fail("socket for the queue filler") }
        opened.append(filler)
        var address = loopbackAddress(port: silentPort)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw fail("connect of the queue filler") }
        return KernelEndpoints(closedPort: closedPort, silentPort: silentPort, descriptors: opened)
    }

    /// Releases the ports. Safe to call twice.
    func close() {
        let open = descriptors.withLockedValue { list in
            defer { list = [] }
            return list
        }
        for fd in open { _ = Glibc.close(fd) }
    }

    deinit { close() }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        return address
    }

    /// Binds to 127.0.0.1 on an ephemeral port and returns the port.
    private static func bindLoopback(_ fd: Int32) -> Int? {
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { return nil }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: actual.sin_port))
    }
}
