extension RTMPServerSession.Behavior {
    /// The answer a `connect` carrying `tcUrl` gets: a redirecting server accepts a client that
    /// already comes to the redirect's host, so following the 302 leads somewhere (an origin that
    /// sends players to an edge, both served here); every other behaviour is unchanged.
    func answering(tcUrl: String) -> Self {
        switch self {
        case .redirect(let url):
            guard let target = Self.host(of: url), let requested = Self.host(of: tcUrl), target == requested else {
                return self
            }
            return .accept
        case .accept, .reject, .silent, .closeAfterHandshake:
            return self
        }
    }

    /// The host of an `rtmp://host[:port]/app` style URL, lowercased; `nil` when there is none.
    static func host(of url: String) -> String? {
        let characters = Array(url)
        var schemeEnd: Int?
        for index in characters.indices.dropLast(2)
        where characters[index] == ":" && characters[index + 1] == "/" && characters[index + 2] == "/" {
            schemeEnd = index + 3
            break
        }
        guard let schemeEnd else { return nil }
        var rest = Substring(String(characters[schemeEnd...]))
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if rest.hasPrefix("[") {
            // An IPv6 literal: the host is what the brackets hold.
            guard let close = rest.firstIndex(of: "]") else { return nil }
            let inside = rest[rest.index(after: rest.startIndex)..<close]
            return inside.isEmpty ? nil : inside.lowercased()
        }
        if let colon = rest.firstIndex(of: ":") { rest = rest[..<colon] }
        return rest.isEmpty ? nil : rest.lowercased()
    }
}
