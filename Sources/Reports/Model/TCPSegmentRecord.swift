/// One TCP segment of a trace: the header fields a capture needs and the payload bytes.
package struct TCPSegmentRecord: Sendable {
    /// The TCP header flags.
    package struct Flags: OptionSet, Sendable, Hashable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }

        package static let fin = Flags(rawValue: 0x01)
        package static let syn = Flags(rawValue: 0x02)
        package static let rst = Flags(rawValue: 0x04)
        package static let psh = Flags(rawValue: 0x08)
        package static let ack = Flags(rawValue: 0x10)
    }

    /// When the segment was seen, from the connector's start (the capture's virtual timestamp).
    package var at: Duration
    package var source: PacketRecord.Address
    package var sourcePort: UInt16
    package var destination: PacketRecord.Address
    package var destinationPort: UInt16
    package var sequence: UInt32
    package var acknowledgement: UInt32
    package var flags: Flags
    package var window: UInt16
    package var payload: [UInt8]

    package init(
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
