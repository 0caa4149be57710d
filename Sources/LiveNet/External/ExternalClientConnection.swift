/// One TCP connection an external client opened that our server accepted, as the server saw it.
/// Times are offsets from the client's spawn.
public struct ExternalClientConnection: Sendable, Hashable, Codable {
    /// The scenario port it was meant for (1935, 443, 80), not the ephemeral port it reached.
    public var port: UInt16
    /// What its first bytes were, once known.
    public var via: ServedProtocol?
    public var accepted: Duration
    public var handshakeDone: Duration?
    public var connectReceived: Duration?
    /// When the server answered `connect`, and how (`accepted`, `rejected`, `redirected`).
    public var answered: Duration?
    public var answer: String?
    /// Why the server gave up on it, when it did: bytes it does not serve, or a protocol error.
    public var problem: String?
    public var closed: Duration?

    public init(port: UInt16, accepted: Duration) {
        self.port = port
        self.accepted = accepted
    }
}
