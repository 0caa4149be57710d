#if canImport(Glibc)
import Glibc
#endif
import RunCore

/// The per-packet link's own capture: every packet as it left its sender, at the end it left from
/// (interface 0 `flplayer`: what the player sent; interface 1 `flserver`: what the server sent),
/// with a comment on each packet the link lost or dropped. One record per packet, so Wireshark's
/// TCP analysis sees each segment once and marks the kernel's retransmissions of the lost ones.
///
/// pcapng, written here rather than with libpcap: libpcap's dump files are classic pcap, which has
/// no per-packet comments, and the comment is how a reader sees which packet the link lost. The
/// format is three block types (section header, interface description, enhanced packet) of fixed
/// layout (draft-ietf-opsawg-pcapng), little-endian, nanosecond timestamps.
///
/// `@unchecked Sendable`: it is made before the link's thread starts, handed to it, and from then on
/// written and closed by that thread alone.
package final class LinkCaptureFile: @unchecked Sendable {
    /// Why the file could not be made or written.
    package struct WriteError: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    package let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Wall-clock nanoseconds at the link clock's zero: pcapng timestamps are absolute.
    private let epoch: Int64
    package private(set) var packets = 0
    package private(set) var failure: String?

    /// The most a capture keeps: beyond it packets are counted but not written (a bulk transfer over a
    /// fast link would otherwise fill the disk).
    static let byteLimit = 256 << 20
    private var written = 0

    /// Creates `path` (replacing it) and writes the section header and both interfaces.
    package init(path: String) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        self.path = path
        self.descriptor = fd
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        epoch = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        block(type: 0x0A0D_0D0A) { body in
            Self.append32(0x1A2B_3C4D, to: &body)
            Self.append16(1, to: &body)
            Self.append16(0, to: &body)
            body += [UInt8](repeating: 0xFF, count: 8)  // section length: not given
            Self.option(4, Array("FallbackLab per-packet link".utf8), to: &body)  // shb_userappl
            Self.endOfOptions(&body)
        }
        for (name, description) in [("flplayer", "packets the player sent, as they entered the link"), ("flserver", "packets the server sent, as they entered the link")] {
            block(type: 1) { body in
                Self.append16(101, to: &body)  // LINKTYPE_RAW: bare IPv4 packets, as a TUN device hands them
                Self.append16(0, to: &body)
                Self.append32(0, to: &body)  // snap length: whole packets
                Self.option(2, Array(name.utf8), to: &body)  // if_name
                Self.option(3, Array(description.utf8), to: &body)  // if_description
                Self.option(9, [9], to: &body)  // if_tsresol: nanoseconds
                Self.endOfOptions(&body)
            }
        }
        flush()
    }

    /// One packet from `side`, read at `time` (nanoseconds on the link's clock), and what the link
    /// did with it.
    package func record(_ packet: ArraySlice<UInt8>, from side: PacketLink.Side, at time: Int64, verdict: LinkShaper.Verdict) {
        packets += 1
        guard written + buffer.count + packet.count < Self.byteLimit else { return }
        let comment: String?
        switch verdict {
        case .arrives: comment = nil
        case .lost: comment = "lost by the link (its loss model): never delivered to the \(side == .player ? "server" : "player")"
        case .queueFull: comment = "dropped by the link: its queue was full"
        }
        let stamp = UInt64(bitPattern: epoch &+ time)
        block(type: 6) { body in
            Self.append32(side == .player ? 0 : 1, to: &body)
            Self.append32(UInt32(truncatingIfNeeded: stamp >> 32), to: &body)
            Self.append32(UInt32(truncatingIfNeeded: stamp), to: &body)
            Self.append32(UInt32(packet.count), to: &body)
            Self.append32(UInt32(packet.count), to: &body)
            body += packet
            body += [UInt8](repeating: 0, count: (4 - packet.count % 4) % 4)
            if let comment {
                Self.option(1, Array(comment.utf8), to: &body)  // opt_comment
                Self.endOfOptions(&body)
            }
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered and closes the file; `failure` says if a write failed.
    package func close() {
        flush()
        _ = Glibc.close(descriptor)
    }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        while offset < buffer.count {
            let count = buffer[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                failure = "writing \(path): \(String(cString: strerror(errno)))"
                break
            }
            offset += count
        }
        written += offset
        buffer.removeAll(keepingCapacity: true)
    }

    /// A block: type, total length, body, total length again.
    private func block(type: UInt32, _ fill: (inout [UInt8]) -> Void) {
        var body: [UInt8] = []
        fill(&body)
        let total = UInt32(12 + body.count)
        Self.append32(type, to: &buffer)
        Self.append32(total, to: &buffer)
        buffer += body
        Self.append32(total, to: &buffer)
    }

    private static func option(_ code: UInt16, _ value: [UInt8], to body: inout [UInt8]) {
        append16(code, to: &body)
        append16(UInt16(value.count), to: &body)
        body += value
        body += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }

    private static func endOfOptions(_ body: inout [UInt8]) {
        append32(0, to: &body)
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
