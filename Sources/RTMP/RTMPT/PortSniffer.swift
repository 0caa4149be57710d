/// Tells the protocols sharing one port apart by a connection's first bytes.
///
/// Servers that offer RTMP and RTMPT (and sometimes RTMPS) on port 80 or 443 — FMS, Wowza, Red5 —
/// look at what the client sends first: RTMP starts with the version byte 0x03, RTMPE with 0x06,
/// 0x08 or 0x09, TLS with a handshake record (0x16), RTMPT with an HTTP method. A client always
/// speaks first on these protocols, so the server can wait for a few bytes before choosing.
public enum PortSniffer {
    /// What the first bytes say.
    public enum Verdict: Sendable, Equatable {
        /// Plain RTMP (C0 = 0x03).
        case rtmp
        /// Encrypted RTMP (C0 = 0x06, 0x08 or 0x09): recognised, not supported.
        case rtmpe(version: UInt8)
        /// An HTTP request: RTMPT.
        case http
        /// A TLS ClientHello record: RTMPS (or HTTPS).
        case tls
        /// None of the above: close the connection.
        case unknown
        /// The bytes so far fit an HTTP method prefix; wait for more.
        case needMoreBytes
    }

    /// Methods a client may start an HTTP request with.
    static let methods: [[UInt8]] = ["GET", "POST", "PUT", "HEAD", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH"]
        .map { Array($0.utf8) + [32] }

    /// Bytes needed at most before a verdict: the longest method and its space.
    public static let maxPrefixLength = 8

    /// The verdict for the bytes received so far (only the first `maxPrefixLength` matter).
    public static func sniff(_ bytes: ArraySlice<UInt8>) -> Verdict {
        guard let first = bytes.first else { return .needMoreBytes }
        switch first {
        case 0x03: return .rtmp
        case 0x06, 0x08, 0x09: return .rtmpe(version: first)
        case 0x16: return .tls
        default: break
        }
        let prefix = Array(bytes.prefix(maxPrefixLength))
        var couldStillMatch = false
        for method in methods {
            if prefix.count >= method.count {
                if Array(prefix[0..<method.count]) == method { return .http }
            } else if Array(method[0..<prefix.count]) == prefix {
                couldStillMatch = true
            }
        }
        return couldStillMatch ? .needMoreBytes : .unknown
    }
}
