import RunCore
/// An ICMP destination-unreachable message (type 3), as a rejecting firewall sends it.
package struct ICMPUnreachable: Sendable {
    /// The codes the firewall can send, with what a client's `connect()` reports for each
    /// (Linux ends a SYN_SENT attempt at once on any of them): the firewall rule's own codes.
    package typealias Code = ICMPUnreachableCode

    /// The router or firewall that sends the message.
    package var source: IPv4Address
    package var destination: IPv4Address
    package var code: Code
    /// The segment that provoked it; ICMP quotes its IP header and first bytes.
    package var quoted: TCPSegment

    package init(source: IPv4Address, destination: IPv4Address, code: Code, quoted: TCPSegment) {
        self.source = source
        self.destination = destination
        self.code = code
        self.quoted = quoted
    }
}
