#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import RunCore

/// Runs a `PacketLink` between two TUN devices on a thread of its own: reads each packet the kernel
/// routes into either device, asks the link what becomes of it, and writes it out of the other
/// device when it is due.
///
/// The thread sleeps in `ppoll` until a device has a packet, the next delivery is due or `stop` is
/// called: it never busy-waits, and a delivery is written within the scheduler's wake-up latency of
/// its instant. It is a thread of its own, not a task on Swift's cooperative pool, for the same reason
/// as `ClientProcess`'s supervisor: a pool busy with other work must not delay packets. The link's
/// clock is the `ContinuousClock`, from `start`.
package final class PacketLinkRunner: Sendable {
    /// What the link did, counted from `start` to `stop`.
    package struct Statistics: Sendable, Equatable {
        /// Packets read from the player's device (going up) and from the server's (going down).
        package var readUp = 0
        package var readDown = 0
        /// Of those, lost by the link's loss model, and dropped at a full queue.
        package var lost = 0
        package var queueFull = 0
        /// Packets written to the other device, and writes the kernel refused.
        package var delivered = 0
        package var writeFailures = 0
        /// Packets still in flight when the link stopped (never written).
        package var inFlightAtStop = 0
        /// Why the loop ended early (`ppoll` or a read failed); nil when `stop` ended it.
        package var failure: String?
        /// Packets written to the link's own capture (`LinkCaptureFile`), when it has one, and why the
        /// capture file is incomplete, if it is.
        package var captured = 0
        package var captureFailure: String?
    }

    private let wake: (read: Int32, write: Int32)
    private let finished = ConditionLock<Bool>(value: false)
    private let result = NIOLockedValueBox<Statistics>(Statistics())

    private init(wake: (read: Int32, write: Int32)) {
        self.wake = wake
    }

    /// Starts carrying packets between `player` and `server`, recording each in `capture` if given
    /// (the runner closes it when it stops, or at once when it cannot start). The devices stay the caller's to close, after `stop`.
    package static func start(
        _ link: PacketLink, player: TunDevice, server: TunDevice, capture: LinkCaptureFile? = nil
    ) throws(TunDevice.OpenError) -> PacketLinkRunner {
        guard let ppoll = Self.ppoll else {
            capture?.close()
            throw TunDevice.OpenError(step: "ppoll is not in this C library", code: ENOSYS)
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let code = errno
            capture?.close()
            throw TunDevice.OpenError(step: "pipe", code: code)
        }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        let wake = (read: ends[0], write: ends[1])
        let runner = PacketLinkRunner(wake: wake)
        let started = SupervisorThread.start {
            var statistics = Self.carry(
                link, player: player.descriptor, server: server.descriptor, wake: wake.read, ppoll: ppoll, capture: capture)
            if let capture {
                capture.close()
                statistics.captured = capture.packets
                statistics.captureFailure = capture.failure
            }
            runner.result.withLockedValue { $0 = statistics }
            runner.finished.lock()
            runner.finished.unlock(withValue: true)
        }
        guard started else {
            capture?.close()
            _ = close(wake.read)
            _ = close(wake.write)
            throw TunDevice.OpenError(step: "start the link thread", code: EAGAIN)
        }
        return runner
    }

    /// Stops the thread and returns what it did. Packets still in flight are not written.
    package func stop() -> Statistics {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
        finished.lock(whenValue: true)
        finished.unlock()
        _ = close(wake.read)
        _ = close(wake.write)
        return result.withLockedValue { $0 }
    }

    /// glibc's `ppoll`, which the Swift overlay does not declare (it is a GNU extension): looked up at
    /// run time, as `ProcessSpawn` does for `closefrom`. `poll`'s millisecond timeout would hold a
    /// packet up to a millisecond past its instant; `ppoll` takes nanoseconds.
    private typealias PPoll = @convention(c) (
        UnsafeMutablePointer<pollfd>?, nfds_t, UnsafePointer<timespec>?, UnsafePointer<sigset_t>?
    ) -> Int32
    private static let ppoll: PPoll? = dlsym(nil, "ppoll").map { unsafeBitCast($0, to: PPoll.self) }

    /// The loop: deliver what is due, sleep until the next deadline or a packet, read what came.
    private static func carry(
        _ link: PacketLink, player: Int32, server: Int32, wake: Int32, ppoll: PPoll, capture: LinkCaptureFile?
    ) -> Statistics {
        var link = link
        var statistics = Statistics()
        let origin = ContinuousClock.now
        func now() -> Int64 { (ContinuousClock.now - origin).nanosecondsClamped }
        var descriptors = [
            pollfd(fd: player, events: Int16(POLLIN), revents: 0),
            pollfd(fd: server, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wake, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            for delivery in link.due(at: now()) {
                let descriptor = delivery.side == .player ? player : server
                let written = delivery.packet.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written == delivery.packet.count { statistics.delivered += 1 } else { statistics.writeFailures += 1 }
            }
            for index in descriptors.indices { descriptors[index].revents = 0 }
            let ready: Int32
            if let deadline = link.nextDeadline {
                let wait = max(0, deadline - now())
                var timeout = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
                ready = ppoll(&descriptors, nfds_t(descriptors.count), &timeout, nil)
            } else {
                ready = ppoll(&descriptors, nfds_t(descriptors.count), nil, nil)
            }
            if ready < 0 {
                if errno == EINTR { continue }
                statistics.failure = "ppoll: \(String(cString: strerror(errno)))"
                break
            }
            if descriptors[2].revents != 0 { break }
            for (index, side) in [(0, PacketLink.Side.player), (1, PacketLink.Side.server)]
            where descriptors[index].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 {
                // At most 256 packets per wake-up per side, so the other side and the deliveries wait
                // no longer than that.
                for _ in 0..<256 {
                    let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                    if count < 0, errno == EAGAIN || errno == EINTR { break }
                    guard count > 0 else {
                        statistics.failure = count == 0 ? "TUN device closed" : "read: \(String(cString: strerror(errno)))"
                        statistics.inFlightAtStop = link.inFlight
                        return statistics
                    }
                    if side == .player { statistics.readUp += 1 } else { statistics.readDown += 1 }
                    let time = now()
                    let verdict = link.received(Array(buffer[0..<count]), from: side, at: time)
                    capture?.record(buffer[0..<count], from: side, at: time, verdict: verdict)
                    switch verdict {
                    case .arrives: break
                    case .lost: statistics.lost += 1
                    case .queueFull: statistics.queueFull += 1
                    }
                }
            }
        }
        statistics.inFlightAtStop = link.inFlight
        return statistics
    }
}
