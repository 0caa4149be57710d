/// One packet of a simulated run, as the trace records it when it is put on the wire.
public struct TracedPacket: Sendable {
    /// What was sent.
    public enum Content: Sendable {
        case tcp(TCPSegment)
        case icmp(ICMPUnreachable)
    }

    /// What became of it.
    public enum Fate: Sendable, Equatable {
        /// It reached its destination host (or the middlebox standing in for it) at that instant.
        case delivered(at: SimTime)
        /// The link lost it (random loss).
        case lost
        /// The firewall discarded it (`drop`), by the rule at that index.
        case dropped(rule: Int)
        /// The firewall answered it with a reset or ICMP instead of passing it (`reject`, `reject-icmp`).
        case rejected(rule: Int)
        /// No host has its destination address.
        case noRoute
    }

    /// When it was put on the wire.
    public var time: SimTime
    public var content: Content
    public var fate: Fate

    public var source: IPv4Address {
        switch content {
        case .tcp(let segment): segment.source.address
        case .icmp(let message): message.source
        }
    }

    public var destination: IPv4Address {
        switch content {
        case .tcp(let segment): segment.destination.address
        case .icmp(let message): message.destination
        }
    }
}
