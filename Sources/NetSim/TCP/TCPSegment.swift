/// One TCP segment as it travels through the simulated network.
///
/// Sequence and acknowledgement numbers follow a real TCP stream (SYN and FIN each take one number),
/// so a capture written from the trace reassembles in Wireshark exactly like a real one.
public struct TCPSegment: Sendable {
    /// The TCP header flags the model uses.
    public struct Flags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let fin = Flags(rawValue: 0x01)
        public static let syn = Flags(rawValue: 0x02)
        public static let rst = Flags(rawValue: 0x04)
        public static let psh = Flags(rawValue: 0x08)
        public static let ack = Flags(rawValue: 0x10)
    }

    public var source: SimEndpoint
    public var destination: SimEndpoint
    public var sequence: UInt32
    public var acknowledgement: UInt32
    public var flags: Flags
    /// The receive window advertised; the model never fills it, so it is constant.
    public var window: UInt16
    public var payload: [UInt8]

    public init(
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
