/// An RTMP-family URL as a scenario gives it, split into the parts the lab reasons about.
///
/// The connector parses URLs for itself; the lab keeps its own copy of the parts so that a bad URL is
/// reported at its line and column before anything runs.
public struct StreamURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL exactly as written.
    public var text: String
    public var scheme: TransportScheme
    public var host: String
    /// The explicit port, `nil` when the URL has none (which is what enables Flash's fallback).
    public var port: Int?
    /// Everything after the host and port, without the leading slash (`live`, `vod/stream`).
    public var path: String

    public var description: String { text }

    /// The port a connection to this URL uses: the explicit one or the scheme's default.
    public var effectivePort: Int { port ?? scheme.defaultPort }

    /// Parses `scheme://host[:port]/app[/…]`; returns why not on failure.
    public static func parse(_ text: String) -> Result<StreamURL, URLProblem> {
        guard let separator = text.range(of: "://") else { return .failure(.noScheme) }
        let schemeText = String(text[..<separator.lowerBound]).lowercased()
        guard let scheme = TransportScheme(rawValue: schemeText) else {
            return .failure(.unknownScheme(schemeText))
        }
        let rest = text[separator.upperBound...]
        let authority: Substring
        let path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }
        var host = authority
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            let portText = authority[authority.index(after: colon)...]
            guard let value = Int(portText), (1...65535).contains(value) else {
                return .failure(.badPort(String(portText)))
            }
            port = value
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, host.allSatisfy({ !$0.isWhitespace && $0 != "/" && $0 != "@" }) else {
            return .failure(.noHost)
        }
        guard !path.isEmpty else { return .failure(.noApplication) }
        return .success(StreamURL(text: text, scheme: scheme, host: String(host), port: port, path: String(path)))
    }

    public init(text: String, scheme: TransportScheme, host: String, port: Int?, path: String) {
        self.text = text
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

    /// Why a URL was refused, worded for a diagnostic.
    public enum URLProblem: Error, Sendable, Hashable {
        case noScheme
        case unknownScheme(String)
        case badPort(String)
        case noHost
        case noApplication
    }
}
