import Foundation
import Glibc
import Testing

import LiveNet
import RunCore

/// Root (to make a network namespace from a thread), a TUN device node and iproute2's `ip`.
let tunLinkAvailable = getuid() == 0 && access("/dev/net/tun", R_OK | W_OK) == 0
    && (access("/usr/sbin/ip", X_OK) == 0 || access("/sbin/ip", X_OK) == 0)

/// The per-packet link between two network namespaces of the test's own, each with a TUN device:
/// real kernel TCP at both ends, the link's latency and bandwidth in between.
///
/// Needs root (to make network namespaces from a thread) and `/dev/net/tun`; skipped otherwise. Each
/// namespace lives as long as the thread that made it (`unshare(CLONE_NEWNET)` moves only that
/// thread), so nothing outside them changes. Addresses are in 10.77.0.0/30, inside them only.
@Suite("PacketLinkRunner: two namespaces joined by TUN devices", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: tunLinkAvailable, "needs root, /dev/net/tun and ip"))
struct PacketLinkRunnerTests {
    /// One side: a thread in a namespace of its own with a TUN device addressed `local`, peer `peer`.
    final class Side: @unchecked Sendable {
        let ready = DispatchSemaphore(value: 0)
        /// Its work is over (the device is still open).
        let worked = DispatchSemaphore(value: 0)
        /// The link has stopped: the thread may close its device and end.
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        var device: TunDevice?
        var failure: String?

        /// Starts the thread: it makes the namespace and the device, signals `ready`, runs `work`,
        /// signals `worked`, and once `release` is signalled closes the device and ends (so does the
        /// namespace). The device outlives the work so that the link never writes to a closed one.
        init(name: String, local: String, peer: String, proceed: DispatchSemaphore, work: @escaping @Sendable (Side) -> Void) {
            let thread = Thread { [self] in
                defer { done.signal() }
                do {
                    try ThreadNamespace.enterNew()
                    let device = try TunDevice.open(name: name)
                    self.device = device
                    for arguments in [["addr", "add", local, "peer", peer, "dev", name], ["link", "set", name, "up"], ["link", "set", "lo", "up"]] {
                        let status = Self.ip(arguments)
                        if status != 0 { failure = "ip \(arguments.joined(separator: " ")) exited \(status)" }
                    }
                } catch {
                    failure = "\(error)"
                }
                ready.signal()
                if failure == nil, proceed.wait(timeout: .now() + 30) == .success { work(self) }
                worked.signal()
                _ = release.wait(timeout: .now() + 60)
                device?.close()
            }
            thread.start()
        }

        /// Runs `ip` in this thread's namespace (the child starts in the namespace of the thread that
        /// spawns it) and returns its exit status.
        static func ip(_ arguments: [String]) -> Int32 {
            let path = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip"
            var pid: pid_t = 0
            let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            guard posix_spawn(&pid, path, nil, nil, argv, environ) == 0 else { return -1 }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            return status
        }
    }

    /// A blocking TCP socket with 10 s send and receive timeouts, so no call here waits longer.
    static func socket() -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    static func address(_ text: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }

    /// What the test measured, written by the two threads.
    final class Measured: @unchecked Sendable {
        var connectTime: Duration?
        var sentAt: ContinuousClock.Instant?
        var receivedAllAt: ContinuousClock.Instant?
        var received = 0
        var failure: String?
    }

    /// Connects from the player's namespace to a listener in the server's, then sends `bytes` bytes;
    /// returns the connect time, the time from the send to the last byte read, and the link's counts.
    static func exchange(_ conditions: LinkConditions, bytes: Int) throws -> (Measured, PacketLinkRunner.Statistics) {
        let proceed = DispatchSemaphore(value: 0)
        let listening = DispatchSemaphore(value: 0)
        let measured = Measured()
        let server = Side(name: "flserver", local: "10.77.0.2", peer: "10.77.0.1", proceed: proceed) { _ in
            let listener = socket()
            defer { close(listener) }
            var one: Int32 = 1
            setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = address("10.77.0.2", 5_001)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(listener, 4) == 0 else {
                measured.failure = "listen: \(String(cString: strerror(errno)))"
                listening.signal()
                return
            }
            listening.signal()
            var pollDescriptor = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 10_000) == 1 else { measured.failure = "no connection came"; return }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { measured.failure = "accept: \(String(cString: strerror(errno)))"; return }
            defer { close(connection) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while measured.received < bytes {
                let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                measured.received += count
            }
            measured.receivedAllAt = .now
        }
        let player = Side(name: "flplayer", local: "10.77.0.1", peer: "10.77.0.2", proceed: proceed) { _ in
            guard listening.wait(timeout: .now() + 10) == .success, measured.failure == nil else { return }
            let descriptor = socket()
            defer { close(descriptor) }
            var address = address("10.77.0.2", 5_001)
            let started = ContinuousClock.now
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { measured.failure = "connect: \(String(cString: strerror(errno)))"; return }
            measured.connectTime = .now - started
            let payload = [UInt8](repeating: 0x5A, count: bytes)
            measured.sentAt = .now
            _ = payload.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            // Keep the connection open until the server has read everything (or gave up).
            _ = server.worked.wait(timeout: .now() + 20)
            server.worked.signal()
        }
        server.ready.wait()
        player.ready.wait()
        func end() {
            for side in [player, server] {
                side.release.signal()
                _ = side.done.wait(timeout: .now() + 10)
            }
        }
        guard server.failure == nil, player.failure == nil, let playerDevice = player.device, let serverDevice = server.device else {
            proceed.signal()
            proceed.signal()
            end()
            throw LinkTestError(server.failure ?? player.failure ?? "no devices")
        }
        let runner: PacketLinkRunner
        do {
            runner = try PacketLinkRunner.start(
                PacketLink(up: conditions, down: conditions, seed: 1), player: playerDevice, server: serverDevice)
        } catch {
            end()
            throw error
        }
        proceed.signal()
        proceed.signal()
        _ = player.worked.wait(timeout: .now() + 60)
        _ = server.worked.wait(timeout: .now() + 5)
        // The connection's last packets (FIN, ACK) cross after the work: let them.
        Thread.sleep(forTimeInterval: 0.2)
        let statistics = runner.stop()
        end()
        if let failure = measured.failure { throw LinkTestError(failure) }
        return (measured, statistics)
    }

    struct LinkTestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    /// 20 ms each way: the kernel's connect takes one round trip, 40 ms, plus what the link adds
    /// (43–47 ms measured on a loaded 2-core machine).
    @Test func theConnectTakesTheLinksRoundTrip() throws {
        let (measured, statistics) = try Self.exchange(LinkConditions(latency: .milliseconds(20)), bytes: 100)
        let connect = try #require(measured.connectTime)
        #expect(Self.milliseconds(connect) >= 40 && Self.milliseconds(connect) < 60, "connect took \(connect)")
        #expect(measured.received == 100)
        #expect(statistics.failure == nil)
        #expect(statistics.lost == 0 && statistics.queueFull == 0 && statistics.writeFailures == 0)
        #expect(statistics.readUp >= 3 && statistics.readDown >= 2, "SYN, ACK, data up; SYN-ACK, ACK down")
        #expect(statistics.delivered + statistics.inFlightAtStop == statistics.readUp + statistics.readDown)
    }

    /// At 256 kbit/s a 1,536-byte handshake message takes the time the rate implies. The TUN
    /// device's MTU is 1,500, so the kernel sends it as two segments (1,448 and 88 bytes of payload,
    /// each with 52 bytes of IPv4, TCP and timestamp headers): 1,640 bytes × 8 / 256,000 s =
    /// 51.25 ms to serialise, then the 20 ms latency, 71.25 ms in all. Measured here on a loaded
    /// 2-core machine: 73.0–73.3 ms in three runs.
    @Test func aNarrowLinkTakesTheTimeItsRateImplies() throws {
        let (measured, statistics) = try Self.exchange(
            LinkConditions(latency: .milliseconds(20), bandwidth: 256_000), bytes: 1_536)
        let sent = try #require(measured.sentAt)
        let arrived = try #require(measured.receivedAllAt)
        let took = Self.milliseconds(arrived - sent)
        #expect(took >= 71.25 && took < 90, "1536 bytes took \(took) ms")
        #expect(measured.received == 1_536)
        #expect(statistics.failure == nil && statistics.lost == 0)
    }

    /// 2 % loss at 20 ms each way: the link loses packets (seeded) and the kernel's TCP retransmits
    /// them, so every byte of 300 kB still arrives.
    @Test func theKernelRetransmitsWhatALossyLinkLoses() throws {
        let (measured, statistics) = try Self.exchange(LinkConditions(latency: .milliseconds(20), loss: 0.02), bytes: 300_000)
        #expect(measured.received == 300_000)
        #expect(statistics.lost > 0, "300 kB is over 200 segments; 2 % of them and their ACKs")
        #expect(statistics.failure == nil && statistics.writeFailures == 0)
        #expect(statistics.delivered + statistics.lost + statistics.inFlightAtStop == statistics.readUp + statistics.readDown)
    }
}
