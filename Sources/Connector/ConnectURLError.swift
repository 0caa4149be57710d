/// Why a string is not an RTMP URL a connector can use.
public enum ConnectURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The string (or one item of a `|`-separated list) is empty.
    case empty
    /// No `scheme://` prefix.
    case missingScheme(String)
    /// A scheme that is not one of rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts.
    case unsupportedScheme(String)
    /// Nothing between `://` and the port or path.
    case missingHost(String)
    /// A host with characters no host name or address has (spaces, `@`, an unclosed `[`).
    case invalidHost(String)
    /// A port that is not a number in 1...65535.
    case invalidPort(String)
    /// No application name after the host: `rtmp://host/app` needs the `app`.
    case missingApplication(String)

    public var description: String {
        switch self {
        case .empty: "empty URL"
        case .missingScheme(let url): "\(url): no scheme (expected rtmp://host[:port]/app)"
        case .unsupportedScheme(let scheme):
            "unsupported scheme '\(scheme)' (expected one of rtmp, rtmpe, rtmps, rtmpt, rtmpte, rtmpts)"
        case .missingHost(let url): "\(url): no host"
        case .invalidHost(let host): "invalid host '\(host)'"
        case .invalidPort(let port): "invalid port '\(port)' (expected 1...65535)"
        case .missingApplication(let url): "\(url): no application (expected rtmp://host[:port]/app)"
        }
    }
}
