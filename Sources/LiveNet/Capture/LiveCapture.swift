import CPcap
import Foundation
import NIOConcurrencyHelpers
import Synchronization

/// A packet capture of live traffic, written as a classic pcap file that Wireshark and tshark open.
///
/// Live runs have no simulated trace: what the kernel really sent is the only record, so a live run
/// captures its own ports on the loopback interface (`lo` with a filter on the run's ports, or the
/// whole `lo` of a private network namespace) with libpcap, the library Wireshark captures with.
///
/// ```swift
/// let capture = try LiveCapture.start(interface: "lo", ports: [server.ports[0]], to: "/tmp/run.pcap")
/// … the run …
/// let summary = try capture.stop()   // flushed and closed: the file is complete
/// ```
///
/// Capturing needs `CAP_NET_RAW` (root, or the capability on the binary): without it `start` throws
/// ``LiveCaptureError/unavailable(interface:reason:)`` and the caller runs without a capture, saying
/// why. One background thread per capture reads packets in immediate mode (each packet as it comes,
/// no kernel batching), waiting at most 20 ms at a time, so `stop` returns within about that; the
/// thread also stops on its own after `limit`, so a capture nobody stops cannot run forever.
package final class LiveCapture: Sendable {
    /// The snapshot length: RTMP chunks are at most a few kilobytes, loopback frames up to 64 KiB;
    /// whole frames are kept so that Wireshark can reassemble every message.
    package static let snapshotLength: Int32 = 65_535
    /// How long one wait for packets lasts before checking whether the capture was stopped.
    static let readTimeoutMilliseconds: Int32 = 20

    /// The file being written.
    package let path: String
    /// The interface captured.
    package let interface: String
    /// The BPF filter applied (`tcp and (port … or …)`).
    package let filter: String

    private let handle: PcapHandle
    private let state: NIOLockedValueBox<State>
    /// What the first `stop` found; it closed the handle and the file.
    private let closing: NIOLockedValueBox<Result<LiveCaptureSummary, LiveCaptureError>?>
    private let stopRequested: Synchronization.Atomic<Bool>
    private let finished: DispatchSemaphore

    /// What the capture thread leaves behind for `stop`.
    private struct State {
        var packets = 0
        var failure: String?
    }

    private init(path: String, interface: String, filter: String, handle: PcapHandle) {
        self.path = path
        self.interface = interface
        self.filter = filter
        self.handle = handle
        self.state = NIOLockedValueBox(State())
        self.closing = NIOLockedValueBox(nil)
        self.stopRequested = Atomic(false)
        self.finished = DispatchSemaphore(value: 0)
    }

    /// The BPF filter for `ports` (either direction, so both the client's and the server's side of
    /// every connection to those ports); all TCP when `ports` is empty.
    package static func filter(ports: Set<UInt16>) -> String {
        guard !ports.isEmpty else { return "tcp" }
        return "tcp and (" + ports.sorted().map { "port \($0)" }.joined(separator: " or ") + ")"
    }

    /// Opens `interface`, applies the filter for `ports`, creates `path` and starts capturing.
    ///
    /// - Parameter limit: the longest the capture runs if nobody stops it.
    package static func start(
        interface: String = "lo", ports: Set<UInt16>, to path: String, limit: Duration = .seconds(600)
    ) throws(LiveCaptureError) -> LiveCapture {
        let filter = filter(ports: ports)
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let pcap = pcap_create(interface, &errorBuffer) else {
            throw .unavailable(interface: interface, reason: errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        func fail(_ error: LiveCaptureError) -> LiveCaptureError {
            pcap_close(pcap)
            return error
        }
        _ = pcap_set_snaplen(pcap, snapshotLength)
        _ = pcap_set_promisc(pcap, 0)
        _ = pcap_set_immediate_mode(pcap, 1)
        _ = pcap_set_timeout(pcap, readTimeoutMilliseconds)
        let activated = pcap_activate(pcap)
        if activated < 0 {
            throw fail(.unavailable(interface: interface, reason: activationFailure(activated, pcap)))
        }
        var program = bpf_program()
        guard pcap_compile(pcap, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            throw fail(.filter(filter, reason: String(cString: pcap_geterr(pcap))))
        }
        let applied = pcap_setfilter(pcap, &program)
        pcap_freecode(&program)
        guard applied == 0 else {
            throw fail(.filter(filter, reason: String(cString: pcap_geterr(pcap))))
        }
        guard let dumper = pcap_dump_open(pcap, path) else {
            throw fail(.file(path: path, reason: String(cString: pcap_geterr(pcap))))
        }
        let capture = LiveCapture(
            path: path, interface: interface, filter: filter, handle: PcapHandle(pcap: pcap, dumper: dumper))
        let thread = Thread { capture.captureLoop(limit: limit) }
        thread.name = "fallback-lab capture \(interface)"
        thread.start()
        return capture
    }

    /// Stops capturing, writes out what is still buffered, and closes the file. Calling it again
    /// returns the same summary (or error).
    @discardableResult
    package func stop() throws(LiveCaptureError) -> LiveCaptureSummary {
        // Under one lock, so that the handle is broken out of, waited for and closed exactly once:
        // a second `stop` (or the deinit after one) must not touch the closed handle.
        let result: Result<LiveCaptureSummary, LiveCaptureError> = closing.withLockedValue { closed in
            if let closed { return closed }
            stopRequested.store(true, ordering: .releasing)
            finished.wait()
            let (packets, failure) = state.withLockedValue { ($0.packets, $0.failure) }
            var statistics = pcap_stat()
            let dropped = pcap_stats(handle.pcap, &statistics) == 0 ? Int(statistics.ps_drop) : 0
            let flushed = pcap_dump_flush(handle.dumper) == 0
            pcap_dump_close(handle.dumper)
            pcap_close(handle.pcap)
            let result: Result<LiveCaptureSummary, LiveCaptureError>
            if let failure {
                result = .failure(.capture(reason: failure))
            } else if !flushed {
                result = .failure(.file(path: path, reason: "pcap_dump_flush failed"))
            } else {
                result = .success(LiveCaptureSummary(path: path, packets: packets, droppedByKernel: dropped))
            }
            closed = result
            return result
        }
        return try result.get()
    }

    /// Reads packets into the file until stopped (or `limit`), then drains what the kernel already
    /// queued, so the last packets of a run are in the file too.
    ///
    /// The handle is non-blocking and the wait is our own `poll` with a short timeout: libpcap's
    /// read timeout is not honoured in immediate mode on Linux (a read waits for the next packet),
    /// so a blocking read could outlive both `stop` and `limit` on a quiet interface.
    private func captureLoop(limit: Duration) {
        defer { finished.signal() }
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        let user = UnsafeMutablePointer<UInt8>(handle.dumper)
        var packets = 0
        var failure: String?
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        let descriptor = pcap_get_selectable_fd(handle.pcap)
        if descriptor < 0 || pcap_setnonblock(handle.pcap, 1, &errorBuffer) != 0 {
            failure = "the capture handle cannot be polled"
        }
        /// Everything queued now, into the file; false on a read error.
        func drain() -> Bool {
            // Bounded: each round takes what is queued; a queue still refilling after this many
            // rounds is read on the next pass.
            for _ in 0..<64 {
                let count = pcap_dispatch(handle.pcap, -1, pcap_dump, user)
                if count < 0 {
                    failure = String(cString: pcap_geterr(handle.pcap))
                    return false
                }
                if count == 0 { return true }
                packets += Int(count)
            }
            return true
        }
        while failure == nil, !stopRequested.load(ordering: .acquiring), clock.now < deadline {
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, Self.readTimeoutMilliseconds)
            if ready < 0, errno != EINTR {
                failure = "poll: " + String(cString: strerror(errno))
                break
            }
            if ready > 0, !drain() { break }
        }
        if failure == nil { _ = drain() }
        state.withLockedValue { state in
            state.packets = packets
            state.failure = failure
        }
    }

    /// Why `pcap_activate` refused, in words a user can act on.
    private static func activationFailure(_ status: Int32, _ pcap: OpaquePointer) -> String {
        let detail = String(cString: pcap_geterr(pcap))
        switch status {
        case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
            return "capturing needs CAP_NET_RAW (run as root or give the binary the capability)"
                + (detail.isEmpty ? "" : ": \(detail)")
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return "no such interface" + (detail.isEmpty ? "" : ": \(detail)")
        default:
            return detail.isEmpty ? String(cString: pcap_statustostr(status)) : detail
        }
    }

    deinit {
        // A capture dropped without `stop` still ends its thread and closes its file.
        _ = try? stop()
    }
}

/// libpcap's handle and dump file. Only the capture thread reads packets through them while it
/// runs; `stop` touches them only after that thread has finished.
private struct PcapHandle: @unchecked Sendable {
    let pcap: OpaquePointer
    let dumper: OpaquePointer
}
