/// An RTMP URL as a player is given it: `scheme://host[:port]/app[/playpath][?query]`.
///
/// The explicit port is kept apart from the scheme's default because presets behave differently
/// when the URL names one (Flash Player's built-in fallback does not run at all then).
public struct ConnectURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL's scheme.
    public var scheme: RTMPScheme
    /// Host name or address; an IPv6 address without brackets.
    public var host: String
    /// The port written in the URL, `nil` when the URL has none.
    public var explicitPort: Int?
    /// Everything after the `/` that follows the authority: the application, then the rest.
    public var path: String

    /// Builds a URL from its parts; `path` starts with the application name (no leading `/`).
    public init(scheme: RTMPScheme, host: String, explicitPort: Int? = nil, path: String) {
        self.scheme = scheme
        self.host = host
        self.explicitPort = explicitPort
        self.path = path
    }

    /// Parses `scheme://host[:port]/app[/...]`. The scheme is case-insensitive.
    public init(parsing text: String) throws(ConnectURLError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard let separator = trimmed.firstRange(of: "://") else { throw .missingScheme(trimmed) }
        let schemeText = String(trimmed[..<separator.lowerBound])
        guard let scheme = RTMPScheme(rawValue: schemeText.lowercased()) else {
            throw .unsupportedScheme(schemeText)
        }
        let rest = trimmed[separator.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var path = rest[authorityEnd...]
        if path.first == "/" { path = path.dropFirst() }
        guard !authority.isEmpty else { throw .missingHost(trimmed) }

        let hostPart: Substring
        let portPart: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost(String(authority)) }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                portPart = nil
            } else if after.first == ":" {
                portPart = after.dropFirst()
            } else {
                throw .invalidHost(String(authority))
            }
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .invalidHost(String(authority))
            }
        } else {
            if let colon = authority.lastIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
                portPart = nil
            }
            guard !hostPart.isEmpty else { throw .missingHost(trimmed) }
            guard hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
            else { throw .invalidHost(String(hostPart)) }
        }

        var port: Int?
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(portPart), (1...65535).contains(value)
            else { throw .invalidPort(String(portPart)) }
            port = value
        }
        let application = path.prefix(while: { $0 != "/" && $0 != "?" })
        guard !application.isEmpty else { throw .missingApplication(trimmed) }
        self.init(scheme: scheme, host: String(hostPart), explicitPort: port, path: String(path))
    }

    /// Resolves Enhanced RTMP's reconnect `tcUrl` against the current connection's URL: absolute
    /// (`rtmp://host:1935/app`), network-path (`//host/app`: the current scheme), absolute-path
    /// (`/app`: the current scheme, host and port), or absent (the current URL itself), as the
    /// specification's four examples are read ("Reconnect Request", `enhanced-rtmp-v2.md`).
    public init(resolving reference: String?, against base: ConnectURL) throws(ConnectURLError) {
        guard let reference = reference?.trimmingASCIIWhitespace(), !reference.isEmpty else {
            self = base
            return
        }
        if reference.hasPrefix("//") {
            try self.init(parsing: "\(base.scheme):" + reference)
        } else if reference.hasPrefix("/") {
            let port = base.explicitPort.map { ":\($0)" } ?? ""
            try self.init(parsing: "\(base.scheme)://\(base.hostForURL)\(port)" + reference)
        } else {
            try self.init(parsing: reference)
        }
    }

    /// Parses a JW Player 4 streamer list: URLs separated by `|`, tried in order.
    ///
    /// A single URL is a list of one. Every item must be a valid URL: a list with a typo in its
    /// third item would otherwise silently lose a fallback.
    public static func parseList(_ text: String) throws(ConnectURLError) -> [ConnectURL] {
        var urls: [ConnectURL] = []
        for item in text.split(separator: "|", omittingEmptySubsequences: false) {
            urls.append(try ConnectURL(parsing: String(item)))
        }
        return urls
    }

    /// The port a connection to this URL uses: the explicit one or the scheme's default.
    public var port: Int { explicitPort ?? scheme.defaultPort }

    /// The application name: the first path segment (`live` in `rtmp://h/live/stream`).
    public var application: String {
        String(path.prefix(while: { $0 != "/" && $0 != "?" }))
    }

    /// The host as written in a URL (IPv6 addresses in brackets).
    var hostForURL: String { host.contains(":") ? "[\(host)]" : host }

    public var description: String {
        let portText = explicitPort.map { ":\($0)" } ?? ""
        return "\(scheme)://\(hostForURL)\(portText)/\(path)"
    }
}

extension String {
    /// Leading and trailing spaces, tabs and line breaks removed; no Foundation needed.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
