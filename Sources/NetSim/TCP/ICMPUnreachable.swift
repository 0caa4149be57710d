/// An ICMP destination-unreachable message (type 3), as a rejecting firewall sends it.
public struct ICMPUnreachable: Sendable {
    /// The codes the firewall can send, with what a client's `connect()` reports for each
    /// (Linux ends a SYN_SENT attempt at once on any of them).
    public enum Code: UInt8, Sendable, CaseIterable {
        /// → ENETUNREACH.
        case network = 0
        /// → EHOSTUNREACH.
        case host = 1
        /// → ECONNREFUSED; iptables' default `REJECT` answer.
        case port = 3
        /// → EHOSTUNREACH.
        case adminProhibited = 13
    }

    /// The router or firewall that sends the message.
    public var source: IPv4Address
    public var destination: IPv4Address
    public var code: Code
    /// The segment that provoked it; ICMP quotes its IP header and first bytes.
    public var quoted: TCPSegment

    public init(source: IPv4Address, destination: IPv4Address, code: Code, quoted: TCPSegment) {
        self.source = source
        self.destination = destination
        self.code = code
        self.quoted = quoted
    }
}
