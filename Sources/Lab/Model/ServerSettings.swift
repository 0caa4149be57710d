import Connector

/// The in-process fake RTMP/RTMPT server: where it listens, what it speaks there and how it answers.
public struct ServerSettings: Sendable, Hashable {
    /// The host the server answers as; defaults to the first URL's host.
    public var host: String
    /// Port → the protocols spoken there, told apart by their first bytes.
    public var ports: [Int: [RTMPScheme]]
    public var response: ServerResponse
    /// The server's think time before it answers `connect`.
    public var delay: Duration

    public init(
        host: String, ports: [Int: [RTMPScheme]] = ServerSettings.defaultPorts,
        response: ServerResponse = .accept, delay: Duration = .zero
    ) {
        self.host = host
        self.ports = ports
        self.response = response
        self.delay = delay
    }

    /// What the fake server can speak: RTMP, RTMPT and RTMP over TLS (no RTMPE: its encryption is
    /// Adobe's and not implemented here).
    public static let protocols: [RTMPScheme] = [.rtmp, .rtmpt, .rtmps]

    /// What a stock Flash Media Server / Wowza set-up for firewalled users listens on.
    public static let defaultPorts: [Int: [RTMPScheme]] = [
        1935: [.rtmp], 443: [.rtmp, .rtmps], 80: [.rtmp, .rtmpt],
    ]
}
