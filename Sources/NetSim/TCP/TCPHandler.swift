/// Identifies one simulated TCP connection for as long as the network knows it.
package struct TCPConnectionID: Hashable, Sendable, CustomStringConvertible {
    package let rawValue: Int
    package var description: String { "tcp#\(rawValue)" }
}

/// Identifies a host of the simulated network.
package struct HostID: Hashable, Sendable {
    package let rawValue: Int
}

/// What an application learns from its socket, in the order a real socket would tell it.
package enum TCPEvent: Sendable {
    /// An active open completed: the SYN-ACK arrived and was acknowledged.
    case connected
    /// A passive open completed (the third ACK arrived) on a listening port.
    case accepted(remote: SimEndpoint)
    /// Bytes arrived, in order.
    case received([UInt8])
    /// The peer sent FIN after all its data: it will send nothing more.
    case peerClosed
    /// The connection could not be made, or broke. No further events follow.
    case failed(TCPError)
}

/// How a connection attempt or a connection ended badly, as `connect()`/`recv()` would report it.
package enum TCPError: Error, Sendable, Equatable {
    /// ECONNREFUSED: a reset answered the SYN, or ICMP port unreachable.
    case refused
    /// EHOSTUNREACH: ICMP host unreachable or administratively prohibited.
    case hostUnreachable
    /// ENETUNREACH: ICMP network unreachable.
    case networkUnreachable
    /// ETIMEDOUT on connect: the OS's SYN schedule ran out.
    case connectTimedOut
    /// ETIMEDOUT on an established connection: data retransmissions ran out.
    case retransmissionTimedOut
    /// ECONNRESET: the peer reset an established connection.
    case reset
}

/// An application on a simulated host: it receives the events of the connections it opened or
/// accepted. The network calls it synchronously from the event loop; it may send, close or open
/// connections from inside the call.
package protocol TCPHandler: AnyObject {
    func handle(_ event: TCPEvent, on connection: TCPConnectionID)
}
