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

    /// The names a scenario file uses for `server.response` (and `serve --response` takes).
    static let names = ["accept", "reject", "redirect", "silent", "close-after-handshake"]

    /// The response a name stands for; `redirect` needs its URL. `nil` for a name outside ``names`` or
    /// a redirect without a URL: the scenario loader and `serve` each say why in their own terms.
    init?(name: String, redirect: ConnectURL?) {
        switch name {
        case "accept": self = .accept
        case "reject": self = .reject
        case "silent": self = .silent
        case "close-after-handshake": self = .closeAfterHandshake
        case "redirect":
            guard let redirect else { return nil }
            self = .redirect(redirect)
        default: return nil
        }
    }
}
