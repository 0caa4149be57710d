/// One packet of a simulated run, as the trace records it when it is put on the wire.
package struct TracedPacket: Sendable {
    /// What was sent.
    package enum Content: Sendable {
        case tcp(TCPSegment)
        case icmp(ICMPUnreachable)
    }

    /// What became of it.
    package enum Fate: Sendable, Equatable {
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
    package var time: SimTime
    package var content: Content
    package var fate: Fate

    package var source: IPv4Address {
        switch content {
        case .tcp(let segment): segment.source.address
        case .icmp(let message): message.source
        }
    }

    package var destination: IPv4Address {
        switch content {
        case .tcp(let segment): segment.destination.address
        case .icmp(let message): message.destination
        }
    }
}
