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
        let listener = namespaces.server.run { BlockingSocket.listen(on: LinkedNamespaces.serverAddress, port: 5_001) }
        guard listener >= 0 else {
            _ = namespaces.stop()
            throw LinkTestError("cannot listen on \(LinkedNamespaces.serverAddress):5001")
        }
        // The server reads on a thread of its own while the player writes: the listener belongs to
        // the server's namespace, whichever thread accepts on it.
        let serverDone = DispatchSemaphore(value: 0)
        Thread {
            defer { serverDone.signal() }
            defer { close(listener) }
            let connection = BlockingSocket.accept(listener)
            guard connection >= 0 else { measured.failure = "no connection came"; return }
            defer { close(connection) }
            measured.received = BlockingSocket.read(connection, count: bytes)
            measured.receivedAllAt = .now
        }.start()
        namespaces.player.run {
            let started = ContinuousClock.now
            let descriptor = BlockingSocket.connect(to: LinkedNamespaces.serverAddress, port: 5_001)
            guard descriptor >= 0 else { measured.failure = "connect: \(String(cString: strerror(errno)))"; return }
            defer { close(descriptor) }
            measured.connectTime = .now - started
            let payload = [UInt8](repeating: 0x5A, count: bytes)
            measured.sentAt = .now
            _ = BlockingSocket.write(descriptor, payload)
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

    /// Runs the blocking `exchange` on a thread of its own: it waits on sockets and on the namespaces'
    /// threads for up to seconds, and must not hold one of the cooperative pool's threads meanwhile
    /// (in the full suite that starved other tests, and a tshark test's capture never started).
    static func exchangeOffThePool(_ conditions: LinkConditions, bytes: Int) async throws -> (Measured, PacketLinkRunner.Statistics) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try exchange(conditions, bytes: bytes) })
            }.start()
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }

    /// 20 ms each way: the kernel's connect takes one round trip, 40 ms, plus what the link adds
    /// (43–47 ms measured on a 2-core machine; 63.8 ms once inside a CI rehearsal's full suite, whose
    /// netns runs load both cores). Under two round trips: a link that delayed a packet twice would
    /// take 80 ms.
    @Test func theConnectTakesTheLinksRoundTrip() async throws {
        let (measured, statistics) = try await Self.exchangeOffThePool(LinkConditions(latency: .milliseconds(20)), bytes: 100)
        let connect = try #require(measured.connectTime)
        #expect(Self.milliseconds(connect) >= 40 && Self.milliseconds(connect) < 80, "connect took \(connect)")
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
    @Test func aNarrowLinkTakesTheTimeItsRateImplies() async throws {
        let (measured, statistics) = try await Self.exchangeOffThePool(
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
    @Test func theKernelRetransmitsWhatALossyLinkLoses() async throws {
        let (measured, statistics) = try await Self.exchangeOffThePool(LinkConditions(latency: .milliseconds(20), loss: 0.02), bytes: 300_000)
        #expect(measured.received == 300_000)
        #expect(statistics.lost > 0, "300 kB is over 200 segments; 2 % of them and their ACKs")
        #expect(statistics.failure == nil && statistics.writeFailures == 0)
        #expect(statistics.delivered + statistics.lost + statistics.inFlightAtStop == statistics.readUp + statistics.readDown)
    }
}
