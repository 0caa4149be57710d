/// Builds Ethernet II / IPv4 / TCP-or-ICMP frames from trace records, with valid checksums, so
/// Wireshark and tshark dissect them without "bad checksum" noise.
///
/// MAC addresses are derived from the IPv4 addresses (`02:00:a:b:c:d`, locally administered): a
/// simulated network has no ARP, yet each host must look the same in every frame.
enum EthernetFrame {
    /// The largest TCP payload one IPv4 packet can carry without options (65535 − 20 − 20).
    static let maximumTCPPayload = 65_535 - 40

    static func tcp(_ segment: TCPSegmentRecord, identification: UInt16) -> [UInt8]? {
        guard segment.payload.count <= maximumTCPPayload else { return nil }
        var frame = ethernetHeader(source: segment.source, destination: segment.destination)
        let tcp = tcpHeaderAndPayload(segment)
        frame += ipv4Header(
            source: segment.source, destination: segment.destination, protocolNumber: 6,
            payloadLength: tcp.count, identification: identification)
        frame += tcp
        return frame
    }

    static func icmp(_ message: ICMPRecord, identification: UInt16) -> [UInt8] {
        // The quoted datagram: the original IP header and the first 8 bytes of its TCP header (RFC 792).
        let original = message.original
        let originalTCP = tcpHeaderAndPayload(original)
        var quoted = ipv4Header(
            source: original.source, destination: original.destination, protocolNumber: 6,
            payloadLength: originalTCP.count, identification: identification &- 1)
        quoted += originalTCP.prefix(8)
        var icmp: [UInt8] = [3, message.code.rawValue, 0, 0, 0, 0, 0, 0] + quoted
        let checksum = internetChecksum(icmp)
        icmp[2] = UInt8(checksum >> 8)
        icmp[3] = UInt8(truncatingIfNeeded: checksum)
        var frame = ethernetHeader(source: message.source, destination: message.destination)
        frame += ipv4Header(
            source: message.source, destination: message.destination, protocolNumber: 1,
            payloadLength: icmp.count, identification: identification)
        frame += icmp
        return frame
    }

    static func mac(for address: PacketRecord.Address) -> [UInt8] {
        [0x02, 0x00] + address.octets
    }

    private static func ethernetHeader(source: PacketRecord.Address, destination: PacketRecord.Address) -> [UInt8] {
        mac(for: destination) + mac(for: source) + [0x08, 0x00]
    }

    /// A 20-byte IPv4 header: TTL 64, Don't Fragment, no options, header checksum filled in.
    static func ipv4Header(
        source: PacketRecord.Address, destination: PacketRecord.Address, protocolNumber: UInt8, payloadLength: Int,
        identification: UInt16
    ) -> [UInt8] {
        let total = UInt16(20 + payloadLength)
        var header: [UInt8] = [
            0x45, 0x00, UInt8(total >> 8), UInt8(truncatingIfNeeded: total),
            UInt8(identification >> 8), UInt8(truncatingIfNeeded: identification), 0x40, 0x00,
            64, protocolNumber, 0, 0,
        ]
        header += source.octets + destination.octets
        let checksum = internetChecksum(header)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(truncatingIfNeeded: checksum)
        return header
    }

    /// A 20-byte TCP header followed by the payload, its checksum computed over the pseudo-header.
    static func tcpHeaderAndPayload(_ segment: TCPSegmentRecord) -> [UInt8] {
        var tcp: [UInt8] = []
        tcp.reserveCapacity(20 + segment.payload.count)
        tcp += bigEndian(segment.sourcePort) + bigEndian(segment.destinationPort)
        tcp += bigEndian(segment.sequence) + bigEndian(segment.acknowledgement)
        tcp += [0x50, segment.flags.rawValue]
        tcp += bigEndian(segment.window) + [0, 0, 0, 0]
        tcp += segment.payload
        var pseudo = segment.source.octets + segment.destination.octets + [0, 6]
        pseudo += bigEndian(UInt16(truncatingIfNeeded: tcp.count))
        let checksum = internetChecksum(pseudo + tcp)
        tcp[16] = UInt8(checksum >> 8)
        tcp[17] = UInt8(truncatingIfNeeded: checksum)
        return tcp
    }

    /// The RFC 1071 one's-complement sum, complemented.
    static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum &+= UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum &+= UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    private static func bigEndian(_ value: UInt16) -> [UInt8] {
        [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8),
         UInt8(truncatingIfNeeded: value)]
    }
}
