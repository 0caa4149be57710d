#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking IPv4 loopback TCP socket for the handshake interop tests.
///
/// The `RTMP` module does no I/O; these tests prove its bytes against real peers, so they need the
/// smallest possible socket code: connect or accept, write all, read exactly N bytes with a deadline.
/// Every wait is bounded by `poll` timeouts so a silent peer fails the test instead of hanging it.
final class LoopbackSocket {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        case timedOut(String)
        case closed(afterBytes: Int)

        var description: String {
            switch self {
            case .system(let call, let code): "\(call) failed: errno \(code)"
            case .timedOut(let what): "timed out \(what)"
            case .closed(let count): "peer closed after \(count) bytes"
            }
        }
    }

    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    private static func makeAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    private static func newSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        return fd
    }

    /// A listening socket on 127.0.0.1 with a kernel-chosen port.
    static func listen() throws -> (socket: LoopbackSocket, port: UInt16) {
        let fd = try newSocket()
        let listener = LoopbackSocket(descriptor: fd)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = makeAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure.system("bind", errno) }
        guard Glibc.listen(fd, 8) == 0 else { throw Failure.system("listen", errno) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure.system("getsockname", errno) }
        return (listener, UInt16(bigEndian: address.sin_port))
    }

    /// A port that was free a moment ago, for peers that must be told their port up front.
    static func freePort() throws -> UInt16 {
        try listen().port
    }

    /// Accepts one connection, waiting at most `timeoutMilliseconds`.
    func accept(timeoutMilliseconds: Int32) throws -> LoopbackSocket {
        try wait(for: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds, what: "waiting for a connection")
        let fd = Glibc.accept(descriptor, nil, nil)
        guard fd >= 0 else { throw Failure.system("accept", errno) }
        return LoopbackSocket(descriptor: fd)
    }

    /// Connects to 127.0.0.1:`port`, retrying while the peer is still starting (bounded attempts).
    static func connect(port: UInt16, attempts: Int = 100, pauseMilliseconds: Int32 = 50) throws -> LoopbackSocket {
        var lastError: Int32 = 0
        for _ in 0..<attempts {
            let fd = try newSocket()
            var address = makeAddress(port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result == 0 { return LoopbackSocket(descriptor: fd) }
            lastError = errno
            close(fd)
            poll(nil, 0, pauseMilliseconds)
        }
        throw Failure.system("connect", lastError)
    }

    func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard result > 0 else { throw Failure.system("send", errno) }
            sent += result
        }
    }

    /// Exactly `count` bytes, or an error if the peer closes or stays silent past the timeout.
    func read(exactly count: Int, timeoutMilliseconds: Int32) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while out.count < count {
            try wait(for: Int16(POLLIN), timeoutMilliseconds: timeoutMilliseconds, what: "after \(out.count) of \(count) bytes")
            let wanted = min(buffer.count, count - out.count)
            let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, wanted, 0) }
            guard result >= 0 else { throw Failure.system("recv", errno) }
            guard result > 0 else { throw Failure.closed(afterBytes: out.count) }
            out += buffer[0..<result]
        }
        return out
    }

    /// Whatever arrives within the timeout (possibly nothing), up to `limit` bytes.
    func read(upTo limit: Int, timeoutMilliseconds: Int32) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: limit)
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pollDescriptor, 1, timeoutMilliseconds) > 0 else { return [] }
        let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, limit, 0) }
        guard result >= 0 else { throw Failure.system("recv", errno) }
        return Array(buffer[0..<result])
    }

    private func wait(for events: Int16, timeoutMilliseconds: Int32, what: String) throws {
        var pollDescriptor = pollfd(fd: descriptor, events: events, revents: 0)
        let ready = poll(&pollDescriptor, 1, timeoutMilliseconds)
        guard ready >= 0 else { throw Failure.system("poll", errno) }
        guard ready > 0 else { throw Failure.timedOut(what) }
    }
}
