/// One TCP segment of a trace: the header fields a capture needs and the payload bytes.
public struct TCPSegmentRecord: Sendable {
    /// The TCP header flags.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let fin = Flags(rawValue: 0x01)
        public static let syn = Flags(rawValue: 0x02)
        public static let rst = Flags(rawValue: 0x04)
        public static let psh = Flags(rawValue: 0x08)
        public static let ack = Flags(rawValue: 0x10)
    }

    /// When the segment was seen, from the connector's start (the capture's virtual timestamp).
    public var at: Duration
    public var source: PacketRecord.Address
    public var sourcePort: UInt16
    public var destination: PacketRecord.Address
    public var destinationPort: UInt16
    public var sequence: UInt32
    public var acknowledgement: UInt32
    public var flags: Flags
    public var window: UInt16
    public var payload: [UInt8]

    public init(
        at: Duration,
        source: PacketRecord.Address,
        sourcePort: UInt16,
        destination: PacketRecord.Address,
        destinationPort: UInt16,
        sequence: UInt32,
        acknowledgement: UInt32 = 0,
        flags: Flags,
        window: UInt16 = 65535,
        payload: [UInt8] = []
    ) {
        self.at = at
        self.source = source
        self.sourcePort = sourcePort
        self.destination = destination
        self.destinationPort = destinationPort
        self.sequence = sequence
        self.acknowledgement = acknowledgement
        self.flags = flags
        self.window = window
        self.payload = payload
    }
}
