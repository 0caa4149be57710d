#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking IPv4 TCP sockets with send and receive timeouts, for jobs on a `NamespaceThread`
/// that probe the per-packet link (its tests and `fallback-bench link`). The lab's own connections
/// use SwiftNIO; these measure the link with as little of our code on the path as possible.
package enum BlockingSocket {
    /// A TCP socket whose every call gives up after `timeout` (default 10 s), so no probe hangs.
    package static func make(timeout seconds: Int = 10) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    /// The IPv4 socket address of `text` (dotted quad) and `port`.
    package static func address(_ text: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }

    /// A listening socket on `host`:`port` in the calling thread's namespace, or −1.
    package static func listen(on host: String, port: UInt16) -> Int32 {
        let listener = make()
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = address(host, port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(listener, 16) == 0 else {
            close(listener)
            return -1
        }
        return listener
    }

    /// The next connection on `listener`, waiting at most `milliseconds`; −1 when none came.
    package static func accept(_ listener: Int32, within milliseconds: Int32 = 10_000) -> Int32 {
        var descriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, milliseconds) == 1 else { return -1 }
        return Glibc.accept(listener, nil, nil)
    }

    /// A socket connected to `host`:`port`, or −1 with `errno` set.
    package static func connect(to host: String, port: UInt16) -> Int32 {
        let descriptor = make()
        var address = address(host, port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            errno = code
            return -1
        }
        return descriptor
    }

    /// Reads until `count` bytes came, the peer closed or a read timed out; returns the bytes read.
    package static func read(_ descriptor: Int32, count: Int) -> Int {
        var buffer = [UInt8](repeating: 0, count: min(max(count, 1), 65_536))
        var total = 0
        while total < count {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, min($0.count, count - total)) }
            guard got > 0 else { break }
            total += got
        }
        return total
    }

    /// Writes all of `bytes` (or as much as went before an error or a timeout); returns the count.
    package static func write(_ descriptor: Int32, _ bytes: [UInt8]) -> Int {
        var total = 0
        while total < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + total, bytes.count - total) }
            guard sent > 0 else { break }
            total += sent
        }
        return total
    }
}
