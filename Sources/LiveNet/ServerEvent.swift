import RunCore

/// Something the live server saw or did on one connection, for logs and server-cost counts.
///
/// Delivered on the server's event loop, in order per connection; the observer must not block.
package struct ServerEvent: Sendable, Equatable {
    /// Numbered from 1 in accept order, per server.
    package var connection: Int
    package var kind: Kind

    package enum Kind: Sendable, Equatable {
        /// A TCP connection was accepted on `localPort` from `remote` (`host:port`).
        case accepted(remote: String, localPort: Int)
        /// The first bytes told which protocol the client speaks.
        case detected(ServedProtocol)
        /// The first bytes were none of the served protocols (TLS, RTMPE, garbage): the connection is closed.
        case unsupported(String)
        /// RTMPT: a tunnel session was opened over HTTP.
        case tunnelOpened(session: String)
        /// The RTMP handshake finished; whether the client sent a Flash Player 9 digest C1.
        case handshakeCompleted(clientUsedDigest: Bool)
        /// A `connect` command arrived.
        case connect(app: String, flashVer: String, tcUrl: String, via: ServedProtocol)
        /// The server answered connect (`_result`, `_error` with a rejection or redirect).
        case answered(String)
        /// The session reported a protocol error; the connection is closed.
        case protocolError(String)
        /// The connection closed (either side).
        case closed
    }

    package init(connection: Int, kind: Kind) {
        self.connection = connection
        self.kind = kind
    }
}
