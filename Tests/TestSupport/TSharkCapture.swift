import Foundation
import LiveNet

#if canImport(Glibc)
import Glibc
#endif

/// tshark capturing one test's TCP port on loopback into a pcapng file, started and known to be live.
///
/// tshark prints "Capturing on" as its dumpcap starts, before the capture is live: a fixed pause
/// after it was not enough on a loaded CI machine (three tests' captures came out empty). So the
/// capture filter also takes UDP to the same port number, and datagrams are sent there until the
/// file holds a packet: then the capture is certainly live. The datagrams stay in the file; the
/// tests read it through TCP display filters (`rtmpt`, `tls`), which never match them.
package enum TSharkCapture {
    /// Starts the capture; `nil` and tshark's output when it did not become live within `timeout`.
    package static func start(_ tshark: String, port: Int, into path: String, timeout: Duration = .seconds(20)) async throws
        -> (process: TestProcess?, output: String) {
        let process = try TestProcess(tshark, ["-i", "lo", "-f", "tcp port \(port) or udp port \(port)", "-w", path, "-a", "duration:60"])
        guard await process.waitForOutput(containing: "Capturing on", timeout: timeout) else {
            await process.stop()
            return (nil, process.output)
        }
        // The probes get a time of their own: on a busy machine the wait above may have used most of
        // `timeout`, and a probe must still go out.
        let deadline = ContinuousClock.now + timeout
        let probe = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(probe) }
        var address = BlockingSocket.address("127.0.0.1", UInt16(port))
        var probes = 0
        while probes < 10 || ContinuousClock.now < deadline {
            probes += 1
            var byte: UInt8 = 0
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(probe, &byte, 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            if holdsAPacket(path) { return (process, process.output) }
        }
        await process.stop()
        return (nil, process.output + "\n(the capture held no packet after \(probes) probes)")
    }

    /// Whether the pcapng file at `path` has an Enhanced Packet Block yet (dumpcap writes as it goes).
    static func holdsAPacket(_ path: String) -> Bool {
        guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else { return false }
        var offset = 0
        // Blocks: type (4 bytes), total length (4), body, length again; little-endian on this machine.
        for _ in 0..<10_000 where offset + 8 <= bytes.count {
            func word(_ at: Int) -> Int {
                Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
            }
            let type = word(offset)
            let length = word(offset + 4)
            if type == 6 || type == 3 { return true }
            guard length >= 12, length % 4 == 0 else { return false }
            offset += length
        }
        return false
    }
}
