import RunCore

/// One TCP segment as it travels through the simulated network.
///
/// Sequence and acknowledgement numbers follow a real TCP stream (SYN and FIN each take one number),
/// so a capture written from the trace reassembles in Wireshark exactly like a real one.
package struct TCPSegment: Sendable {
    /// The TCP header flags the model uses.
    package struct Flags: OptionSet, Hashable, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        package static let fin = Flags(rawValue: 0x01)
        package static let syn = Flags(rawValue: 0x02)
        package static let rst = Flags(rawValue: 0x04)
        package static let psh = Flags(rawValue: 0x08)
        package static let ack = Flags(rawValue: 0x10)
    }

    package var source: SimEndpoint
    package var destination: SimEndpoint
    package var sequence: UInt32
    package var acknowledgement: UInt32
    package var flags: Flags
    /// The receive window advertised; the model never fills it, so it is constant.
    package var window: UInt16
    package var payload: [UInt8]

    package init(
        source: SimEndpoint, destination: SimEndpoint, sequence: UInt32, acknowledgement: UInt32,
        flags: Flags, window: UInt16 = 65_535, payload: [UInt8] = []
    ) {
        self.source = source
        self.destination = destination
        self.sequence = sequence
        self.acknowledgement = acknowledgement
        self.flags = flags
        self.window = window
        self.payload = payload
    }

    /// Sequence space the segment occupies: its payload plus one for SYN and one for FIN.
    var sequenceLength: UInt32 {
        UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
    }

    /// Bytes on the wire: IPv4 (20) and TCP (20) headers plus the payload; serialisation delay is
    /// computed from this.
    var wireSize: Int { 40 + payload.count }
}

extension TCPSegment {
    /// The segment's connection as the link keeps its order (`PacketLink.flow`, the key the live link
    /// computes from the kernel's packets).
    var flow: Int {
        PacketLink.flow(
            source: UInt64(source.address.value) << 16 | UInt64(source.port),
            destination: UInt64(destination.address.value) << 16 | UInt64(destination.port))
    }
}
