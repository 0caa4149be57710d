/// A milestone an attempt reached, with its time from the connector's start.
public struct AttemptPhase: Sendable {
    /// The milestones of an attempt, in the order they can happen.
    public enum Kind: Sendable, CaseIterable {
        /// The TCP three-way handshake completed.
        case tcpConnected
        /// The RTMPT tunnel's `/open/1` was answered with a session id.
        case tunnelOpened
        /// The RTMP handshake (C0–C2/S0–S2) completed.
        case handshakeDone
        /// The reply to the `connect` command arrived.
        case connectResult

        /// The token used in files (CSV headers, JSON keys, HTML labels).
        var token: String {
            switch self {
            case .tcpConnected: "tcp_connected"
            case .tunnelOpened: "tunnel_opened"
            case .handshakeDone: "handshake_done"
            case .connectResult: "connect_result"
            }
        }

        /// The label a reader sees.
        var label: String {
            switch self {
            case .tcpConnected: "TCP connected"
            case .tunnelOpened: "tunnel opened"
            case .handshakeDone: "handshake done"
            case .connectResult: "connect result"
            }
        }
    }

    public var kind: Kind
    public var at: Duration

    public init(_ kind: Kind, at: Duration) {
        self.kind = kind
        self.at = at
    }
}
