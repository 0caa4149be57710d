#if canImport(Glibc)
import Glibc
#endif

/// A TUN device (`/dev/net/tun`, `IFF_TUN | IFF_NO_PI`): the kernel hands us every IPv4 packet routed
/// to the interface and takes the packets we write as if they had arrived on it. One end of the
/// per-packet link (issue 15) in each network namespace.
///
/// The interface is made in the network namespace of the thread that opens it, and stays there: a
/// runtime opens the player's device from a thread inside the player's namespace and the server's from
/// one inside the server's, and one link thread then reads and writes both descriptors.
package struct TunDevice: Sendable {
    package let name: String
    /// Non-blocking, close-on-exec.
    package let descriptor: Int32

    /// Why a device could not be made.
    package struct OpenError: Error, Sendable, CustomStringConvertible {
        package var step: String
        package var code: Int32
        package var description: String { "TUN device: \(step): \(String(cString: strerror(code)))" }
    }

    /// `TUNSETIFF`, `_IOW('T', 202, int)`: the Swift overlay does not import the ioctl macros.
    static let setInterface: UInt = 0x4004_54CA
    static let tun: Int16 = 0x0001
    static let noPacketInformation: Int16 = 0x1000

    /// Makes (or attaches to) the interface `name` in this thread's network namespace. The interface
    /// is down and has no address: the caller configures it (`ip addr`, `ip link set up`).
    package static func open(name: String) throws(OpenError) -> TunDevice {
        guard name.utf8.count < Int(IFNAMSIZ) else { throw OpenError(step: "name '\(name)' is too long", code: EINVAL) }
        let descriptor = Glibc.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenError(step: "open /dev/net/tun", code: errno) }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { bytes in
            for (index, byte) in name.utf8.enumerated() { bytes[index] = byte }
        }
        request.ifr_ifru.ifru_flags = tun | noPacketInformation
        guard ioctl(descriptor, setInterface, &request) == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)
            throw OpenError(step: "TUNSETIFF \(name)", code: code)
        }
        return TunDevice(name: name, descriptor: descriptor)
    }

    package func close() {
        _ = Glibc.close(descriptor)
    }
}
