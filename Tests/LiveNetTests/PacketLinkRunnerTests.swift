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
/// Needs root (to make network namespaces from a thread) and `/dev/net/tun`; skipped otherwise. The
/// namespaces are `LinkedNamespaces`': each lives as long as its thread and what was made in it, so
/// nothing outside them changes. Their addresses exist inside them only.
@Suite("PacketLinkRunner: two namespaces joined by TUN devices", .serialized, .timeLimit(.minutes(5)),
       .enabled(if: tunLinkAvailable, "needs root, /dev/net/tun and ip"))
struct PacketLinkRunnerTests {
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
        let namespaces = try LinkedNamespaces.start(PacketLink(up: conditions, down: conditions, seed: 1))
        let measured = Measured()
        let listener = namespaces.server.run { () -> Int32 in
            let listener = socket()
            var one: Int32 = 1
            setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = address(LinkedNamespaces.serverAddress, 5_001)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(listener, 4) == 0 else {
                close(listener)
                return -1
            }
            return listener
        }
        guard listener >= 0 else {
            _ = namespaces.stop()
            throw LinkTestError("cannot listen on \(LinkedNamespaces.serverAddress):5001")
        }
        // The server reads on its namespace's thread while the player writes on its own.
        let serverDone = DispatchSemaphore(value: 0)
        Thread {
            namespaces.server.run {
                defer { close(listener) }
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
            serverDone.signal()
        }.start()
        namespaces.player.run {
            let descriptor = socket()
            defer { close(descriptor) }
            var address = address(LinkedNamespaces.serverAddress, 5_001)
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
            _ = serverDone.wait(timeout: .now() + 20)
        }
        // The connection's last packets (FIN, ACK) cross after the exchange: let them.
        Thread.sleep(forTimeInterval: 0.2)
        let statistics = namespaces.stop()
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
