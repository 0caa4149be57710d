/// An ICMP destination-unreachable message that answered a TCP segment (a `reject-icmp` firewall).
package struct ICMPRecord: Sendable {
    /// The unreachable codes a firewall sends (RFC 792, RFC 1812).
    package enum Code: UInt8, Sendable, CaseIterable {
        case networkUnreachable = 0
        case hostUnreachable = 1
        case portUnreachable = 3
        case administrativelyProhibited = 13
    }

    /// When the message was seen, from the connector's start.
    package var at: Duration
    /// The router or host that sent it.
    package var source: PacketRecord.Address
    /// The client it was sent to.
    package var destination: PacketRecord.Address
    package var code: Code
    /// The segment it answers; its IP header and first 8 TCP bytes are quoted in the message.
    package var original: TCPSegmentRecord

    package init(at: Duration, source: PacketRecord.Address, destination: PacketRecord.Address, code: Code, original: TCPSegmentRecord) {
        self.at = at
        self.source = source
        self.destination = destination
        self.code = code
        self.original = original
    }
}
