import RunCore
/// One TCP connection an external client opened that our server accepted, as the server saw it.
/// Times are offsets from the client's spawn.
package struct ExternalClientConnection: Sendable, Hashable, Codable {
    /// The scenario port it was meant for (1935, 443, 80), not the ephemeral port it reached.
    package var port: UInt16
    /// What its first bytes were, once known.
    package var via: ServedProtocol?
    package var accepted: Duration
    package var handshakeDone: Duration?
    package var connectReceived: Duration?
    /// When the server answered `connect`, and how (`accepted`, `rejected`, `redirected`).
    package var answered: Duration?
    package var answer: String?
    /// Why the server gave up on it, when it did: bytes it does not serve, or a protocol error.
    package var problem: String?
    package var closed: Duration?

    package init(port: UInt16, accepted: Duration) {
        self.port = port
        self.accepted = accepted
    }
}
