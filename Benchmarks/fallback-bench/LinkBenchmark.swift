// `fallback-bench link [round-trips] [megabytes]`: what the per-packet link between two network
// namespaces (issue 15) costs by itself, at zero impairment. Three figures, each the median of
// round trips or one timed transfer:
//   1. the round trip of one byte and its echo on 127.0.0.1 inside the player's namespace: the
//      kernel alone (two TCP stacks' worth of work, no TUN device, no link thread);
//   2. the same round trip from the player's namespace to the server's through the link: the kernel,
//      two TUN devices each way and the link thread. Half the difference is what the link adds per
//      packet (one packet each way per round trip);
//   3. a stream of `megabytes` MB from the player to the server through the link: its throughput.
// Needs root and /dev/net/tun (it makes two namespaces of its own; nothing outside them changes).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LiveNet
import RunCore

func runLinkBenchmark(_ arguments: [String]) {
    let roundTrips = arguments.first.flatMap { Int($0) } ?? 2_000
    let megabytes = arguments.dropFirst().first.flatMap { Int($0) } ?? 200
    let namespaces: LinkedNamespaces
    do {
        namespaces = try LinkedNamespaces.start(PacketLink(up: .ideal, down: .ideal, seed: 1))
    } catch {
        print("fallback-bench link: \(error) (needs root and /dev/net/tun)")
        exit(69)
    }
    print("fallback-bench link: \(roundTrips) round trips of 1 byte, then \(megabytes) MB one way; zero impairment")
    let loopback = echoRoundTrips(namespaces, serverSide: namespaces.player, host: "127.0.0.1", count: roundTrips)
    let linked = echoRoundTrips(namespaces, serverSide: namespaces.server, host: LinkedNamespaces.serverAddress, count: roundTrips)
    let (seconds, moved) = stream(namespaces, bytes: megabytes * 1_000_000)
    let statistics = namespaces.stop()
    guard let loopback, let linked else {
        print("fallback-bench link: a round trip failed")
        exit(1)
    }
    print(String(format: "round trip, kernel alone (127.0.0.1):   median %7.1f µs  p90 %7.1f µs", loopback.median, loopback.p90))
    print(String(format: "round trip through the link:            median %7.1f µs  p90 %7.1f µs", linked.median, linked.p90))
    print(String(format: "added per packet by the link:           %7.1f µs (half the difference of the medians)", (linked.median - loopback.median) / 2))
    print(String(format: "throughput through the link:            %7.1f Mbit/s (%d bytes in %.3f s)", Double(moved) * 8 / seconds / 1e6, moved, seconds))
    print("link: \(statistics.readUp) packets up, \(statistics.readDown) down, \(statistics.delivered) delivered, \(statistics.writeFailures) write failures")
}

/// Medians of `count` one-byte round trips to an echo server in `serverSide`'s namespace at `host`.
private func echoRoundTrips(_ namespaces: LinkedNamespaces, serverSide: NamespaceThread, host: String, count: Int) -> (median: Double, p90: Double)? {
    let port: UInt16 = 5_002
    let listener = serverSide.run { BlockingSocket.listen(on: host, port: port) }
    guard listener >= 0 else { return nil }
    // The listener belongs to the namespace it was made in; accepting and echoing can run on any
    // thread, which leaves the namespace's thread free for the client when both ends share it.
    let echoed = Completion()
    startThread {
        defer { echoed.signal() }
        defer { close(listener) }
        let connection = BlockingSocket.accept(listener)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var byte: [UInt8] = [0]
        for _ in 0..<count {
            guard BlockingSocket.read(connection, count: 1) == 1, BlockingSocket.write(connection, byte) == 1 else { break }
            byte[0] &+= 1
        }
    }
    let times = namespaces.player.run { () -> [Double] in
        let descriptor = BlockingSocket.connect(to: host, port: port)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var times: [Double] = []
        for _ in 0..<count {
            let started = ContinuousClock.now
            guard BlockingSocket.write(descriptor, [1]) == 1, BlockingSocket.read(descriptor, count: 1) == 1 else { break }
            let took = ContinuousClock.now - started
            times.append(Double(took.components.attoseconds) / 1e12 + Double(took.components.seconds) * 1e6)
        }
        return times
    }
    echoed.wait()
    guard times.count == count, !times.isEmpty else { return nil }
    let sorted = times.sorted()
    return (sorted[sorted.count / 2], sorted[sorted.count * 9 / 10])
}

/// Streams `bytes` from the player to a reader in the server's namespace; the seconds from the first
/// write to the last byte read, and the bytes read.
private func stream(_ namespaces: LinkedNamespaces, bytes: Int) -> (Double, Int) {
    let listener = namespaces.server.run { BlockingSocket.listen(on: LinkedNamespaces.serverAddress, port: 5_003) }
    guard listener >= 0 else { return (1, 0) }
    let done = Completion()
    let received = ReadCount()
    startThread {
        defer { done.signal() }
        defer { close(listener) }
        let connection = BlockingSocket.accept(listener)
        guard connection >= 0 else { return }
        defer { close(connection) }
        received.set(BlockingSocket.read(connection, count: bytes), at: .now)
    }
    let started = namespaces.player.run { () -> ContinuousClock.Instant in
        let descriptor = BlockingSocket.connect(to: LinkedNamespaces.serverAddress, port: 5_003)
        let started = ContinuousClock.now
        guard descriptor >= 0 else { return started }
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0x5A, count: 65_536)
        var sent = 0
        while sent < bytes {
            let written = BlockingSocket.write(descriptor, Array(chunk.prefix(bytes - sent)))
            guard written > 0 else { break }
            sent += written
        }
        return started
    }
    done.wait()
    let (count, ended) = received.value
    let took = (ended ?? started) - started
    return (Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18, count)
}

/// The reader's result, handed from its thread to the measuring one.
private final class ReadCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private var ended: ContinuousClock.Instant?

    func set(_ count: Int, at instant: ContinuousClock.Instant) {
        lock.withLock {
            self.count = count
            ended = instant
        }
    }

    var value: (Int, ContinuousClock.Instant?) { lock.withLock { (count, ended) } }
}

/// One signal from a helper thread that its job is over.
private struct Completion: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func signal() { semaphore.signal() }
    /// Waits at most a minute: a probe that hangs ends the benchmark, not the machine.
    func wait() { _ = semaphore.wait(timeout: .now() + 60) }
}

/// Runs `work` on a thread of its own (the job it hands to a namespace's thread blocks until done).
private func startThread(_ work: @escaping @Sendable () -> Void) {
    Thread { work() }.start()
}
