#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port that is bound but never listens: the kernel answers a connect with RST.
///
/// That is a real "refused" (the firewall's `reject`) on loopback, and, unlike a port merely
/// released, nobody else can take the port while the reservation is held. Closed on deinit.
/// `KernelEndpoints` reserves its silent port this way too, then listens on it.
package final class ReservedPort: Sendable {
    package let port: Int
    /// The bound socket (`KernelEndpoints` listens on its silent port's).
    let descriptor: Int32

    /// Reserves `port`, or any free port for 0.
    package init(port: Int = 0) throws(Failure) {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(clamping: port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound == 0, named == 0 else {
            close(descriptor)
            throw Failure.bind(errno)
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }

    package enum Failure: Error {
        case socket(Int32)
        case bind(Int32)
    }
}
