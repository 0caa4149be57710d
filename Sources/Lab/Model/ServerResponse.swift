import Connector

/// How the fake server answers a client's `connect`.
package enum ServerResponse: Sendable, Hashable {
    case accept
    /// `NetConnection.Connect.Rejected`.
    case reject
    /// A 302 (`Connect.Rejected` with `ex.code == 302` and `ex.redirect`) to another URL.
    case redirect(ConnectURL)
    /// Completes the handshake, then never answers `connect`.
    case silent
    /// Completes the handshake and closes the connection.
    case closeAfterHandshake

    /// The names a scenario file uses for `server.response`.
    static let names = ["accept", "reject", "redirect", "silent", "close-after-handshake"]
}
