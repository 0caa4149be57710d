extension RTMPServerSession.Behavior {
    /// The answer a `connect` carrying `tcUrl` gets: a redirecting server accepts a client that has
    /// already arrived where the redirect sends it, so following the 302 leads somewhere (an origin
    /// that sends players to an edge, both served here); every other behaviour is unchanged.
    ///
    /// Arrived means the same host (case-insensitive), the same application (the first path segment),
    /// and, when the redirect names a port, that port: `rtmp://127.0.0.1:1936/live` is another place
    /// than `rtmp://127.0.0.1:1935/live` (issue 11: comparing hosts alone accepted the origin's own
    /// connect on the same host). A redirect without a port names the edge host as a whole, so a player
    /// that follows it with its own candidates (FLVPlayback restarts its round: rtmp:1935, rtmp:443,
    /// rtmpt:80 of the edge) arrives on any of them, as it would at a real edge. The scheme is not
    /// compared: one port answers RTMP and RTMPT alike, and the tunnel is a way there, not a place.
    func answering(tcUrl: String) -> Self {
        switch self {
        case .redirect(let url):
            guard let target = Self.endpoint(of: url), let requested = Self.endpoint(of: tcUrl),
                target.host == requested.host, target.application == requested.application
            else {
                return self
            }
            if let port = target.port, port != requested.port ?? Self.defaultPort(requested.scheme) {
                return self
            }
            return .accept
        case .accept, .reject, .silent, .closeAfterHandshake:
            return self
        }
    }

    /// The parts of an `rtmp://host[:port]/app[/…]` style URL that say where it leads: scheme and host
    /// lowercased, the explicit port if any, the application; `nil` when there is no host.
    static func endpoint(of url: String) -> (scheme: String, host: String, port: Int?, application: String)? {
        // No Foundation here: find "://" by hand.
        var colon = url.firstIndex(of: ":")
        while let found = colon, !url[found...].hasPrefix("://") {
            colon = url[url.index(after: found)...].firstIndex(of: ":")
        }
        guard let schemeEnd = colon else { return nil }
        let scheme = url[..<schemeEnd].lowercased()
        var authority = url[url.index(schemeEnd, offsetBy: 3)...]
        var path = Substring("")
        if let slash = authority.firstIndex(of: "/") {
            path = authority[authority.index(after: slash)...]
            authority = authority[..<slash]
        }
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            // An IPv6 literal: the host is what the brackets hold.
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        let application = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
        return (scheme, host.lowercased(), portText.flatMap { Int($0) }, String(application))
    }

    /// The port a URL of `scheme` without one connects to (Adobe's defaults, as the connector's).
    static func defaultPort(_ scheme: String) -> Int {
        switch scheme {
        case "rtmpt", "rtmpte": 80
        case "rtmps", "rtmpts": 443
        default: 1935
        }
    }
}
