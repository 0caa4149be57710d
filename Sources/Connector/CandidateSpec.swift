/// How a policy names one candidate relative to the URL it is given: `url`, `rtmp:443`, `rtmpt:80`, or
/// "the URL's scheme, tunneled".
///
/// Players describe their fallback relative to the URL (Flowplayer turns `rtmp://h:1935/app` into
/// `rtmpt://h:1935/app`; JW Player 5 forces port 80), so a spec is a rule, not a fixed endpoint.
public struct CandidateSpec: Sendable, Hashable, CustomStringConvertible {
    /// Which scheme the candidate speaks.
    public enum SchemeChoice: Sendable, Hashable {
        /// The URL's own scheme.
        case url
        /// The HTTP-tunneled counterpart of the URL's scheme (`rtmp` → `rtmpt`, `rtmpe` → `rtmpte`).
        case urlTunneled
        /// A fixed scheme whatever the URL says.
        case fixed(RTMPScheme)
    }

    /// Which port the candidate connects to.
    public enum PortChoice: Sendable, Hashable {
        /// The URL's explicit port, or the candidate scheme's default when the URL has none.
        case url
        /// The candidate scheme's default port, ignoring the URL's port.
        case schemeDefault
        /// A fixed port.
        case fixed(Int)
    }

    public var scheme: SchemeChoice
    public var port: PortChoice

    public init(scheme: SchemeChoice, port: PortChoice) {
        self.scheme = scheme
        self.port = port
    }

    /// `url` in the scenario format: the URL's own scheme and port.
    public static let url = CandidateSpec(scheme: .url, port: .url)

    /// A fixed `scheme:port`, e.g. `.transport(.rtmpt, 80)`.
    public static func transport(_ scheme: RTMPScheme, _ port: Int) -> CandidateSpec {
        CandidateSpec(scheme: .fixed(scheme), port: .fixed(port))
    }

    /// Parses the scenario notation: `url`, `url:443`, `url-tunneled`, `url-tunneled:80`, `rtmpt`,
    /// `rtmp:443`. Without a port, `url` keeps the URL's port and a scheme takes its default.
    public init(parsing text: String) throws(PolicyError) {
        let trimmed = text.trimmingASCIIWhitespace()
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { throw .invalidCandidate(text) }
        let schemeText = parts[0].lowercased()
        let scheme: SchemeChoice
        if schemeText == "url" {
            scheme = .url
        } else if schemeText == "url-tunneled" {
            scheme = .urlTunneled
        } else if let fixed = RTMPScheme(rawValue: schemeText) {
            scheme = .fixed(fixed)
        } else {
            throw .invalidCandidate(text)
        }
        var port: PortChoice
        switch scheme {
        case .url, .urlTunneled: port = .url
        case .fixed: port = .schemeDefault
        }
        if parts.count == 2 {
            let portText = parts[1]
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(portText), (1...65535).contains(value)
            else { throw .invalidCandidate(text) }
            port = .fixed(value)
        }
        self.init(scheme: scheme, port: port)
    }

    /// The candidate this rule gives for `url`.
    public func candidate(for url: ConnectURL) -> Candidate {
        let resolvedScheme: RTMPScheme
        switch scheme {
        case .url: resolvedScheme = url.scheme
        case .urlTunneled: resolvedScheme = url.scheme.tunneled
        case .fixed(let fixed): resolvedScheme = fixed
        }
        let resolvedPort: Int
        switch port {
        case .url: resolvedPort = url.explicitPort ?? resolvedScheme.defaultPort
        case .schemeDefault: resolvedPort = resolvedScheme.defaultPort
        case .fixed(let fixed): resolvedPort = fixed
        }
        return Candidate(scheme: resolvedScheme, host: url.host, port: resolvedPort, path: url.path)
    }

    /// The scenario notation, so a spec round-trips through `init(parsing:)`.
    public var description: String {
        let schemeText: String
        switch scheme {
        case .url: schemeText = "url"
        case .urlTunneled: schemeText = "url-tunneled"
        case .fixed(let fixed): schemeText = fixed.rawValue
        }
        switch (scheme, port) {
        case (.url, .url), (.urlTunneled, .url), (.fixed, .schemeDefault): return schemeText
        case (_, .fixed(let value)): return "\(schemeText):\(value)"
        case (.fixed(let fixed), .url): return "\(schemeText):url-or-\(fixed.defaultPort)"
        case (.url, .schemeDefault), (.urlTunneled, .schemeDefault): return "\(schemeText):default"
        }
    }
}
