/// Where the client's explicit HTTP proxy listens (`http://proxy.example.com:3128`).
package struct ProxyAddress: Sendable, Hashable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    package var description: String { "http://\(host):\(port)" }

    /// Parses `http://host[:port]`; the port defaults to 80 as in any `http://` URL.
    package static func parse(_ text: String) -> ProxyAddress? {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") else { return nil }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/") else { return nil }
        if let colon = rest.lastIndex(of: ":") {
            let host = rest[..<colon]
            guard !host.isEmpty, let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port)
            else { return nil }
            return ProxyAddress(host: String(host), port: port)
        }
        return ProxyAddress(host: String(rest), port: 80)
    }
}
