/// One transport to try: a scheme and a port on the URL's host, e.g. `rtmpt:80`.
///
/// This is what a runtime opens a connection to and what reports name as the winner.
public struct Candidate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The scheme to speak (decides RTMP vs RTMPT, TLS or not).
    public var scheme: RTMPScheme
    /// Host name or address (IPv6 without brackets).
    public var host: String
    /// TCP port to connect to.
    public var port: Int
    /// Application and the rest of the path, without a leading `/`.
    public var path: String

    public init(scheme: RTMPScheme, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// The candidate a URL names by itself: its own scheme and port.
    public init(url: ConnectURL) {
        self.init(scheme: url.scheme, host: url.host, port: url.port, path: url.path)
    }

    /// `scheme:port`, the short name reports and expectations use (`rtmpt:80`).
    public var label: String { "\(scheme):\(port)" }

    /// The URL to connect to, always with the port so that the `tcUrl` a session sends names it.
    public var url: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostText):\(port)/\(path)"
    }

    /// This candidate as a URL with an explicit port, e.g. to run it alone for the oracle.
    public var connectURL: ConnectURL {
        ConnectURL(scheme: scheme, host: host, explicitPort: port, path: path)
    }

    /// The application name (first path segment).
    public var application: String {
        String(path.prefix(while: { $0 != "/" && $0 != "?" }))
    }

    public var description: String { label }
}
