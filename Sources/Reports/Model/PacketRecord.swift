/// One packet of a run's trace, as the capture file will show it.
package enum PacketRecord: Sendable {
    /// A TCP segment.
    case tcp(TCPSegmentRecord)
    /// An ICMP destination-unreachable message answering a segment.
    case icmp(ICMPRecord)

    /// When the packet was seen, from the connector's start.
    var at: Duration {
        switch self {
        case .tcp(let segment): segment.at
        case .icmp(let message): message.at
        }
    }
}
