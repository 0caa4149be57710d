/// How one attempt failed, as the runtime observed it (the network, the proxy, or the server).
public enum AttemptFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// TCP reset: nothing listens, or a firewall rejects with RST.
    case refused
    /// ICMP unreachable (host, port, network).
    case unreachable
    /// The operating system's TCP connect timeout after its SYN retransmissions.
    case osTimeout
    /// The server answered `connect` with `_error` (`NetConnection.Connect.Rejected`).
    case rejected(String)
    /// The peer closed the connection before a result (e.g. a transparent proxy that answers 400).
    case closed
    /// An HTTP proxy refused or failed (e.g. 403 to `CONNECT`, 502).
    case proxyError(String)
    /// Bytes that do not follow the protocol.
    case protocolError(String)

    /// Whether this is Flash's `NetConnection.Connect.Failed` (the network or transport failed) rather
    /// than an answer from the server. Only these are retried: Flowplayer retries on `Connect.Failed`
    /// and fails a connector at once on `Rejected`.
    public var isConnectFailed: Bool {
        switch self {
        case .refused, .unreachable, .osTimeout, .closed, .proxyError, .protocolError: true
        case .rejected: false
        }
    }

    /// How an attempt that failed this way ends in reports.
    public var ending: AttemptEnding {
        switch self {
        case .refused: .refused
        case .unreachable: .unreachable
        case .osTimeout: .timeout
        case .rejected: .rejected
        case .closed, .protocolError: .closed
        case .proxyError: .proxyError
        }
    }

    public var description: String {
        switch self {
        case .refused: "connection refused"
        case .unreachable: "unreachable"
        case .osTimeout: "timed out (OS connect timeout)"
        case .rejected(let text): "rejected: \(text)"
        case .closed: "closed by peer"
        case .proxyError(let text): "proxy error: \(text)"
        case .protocolError(let text): "protocol error: \(text)"
        }
    }
}
