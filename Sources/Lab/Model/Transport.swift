/// A scheme on a port, written `rtmpt:80`: what a candidate tries and what an expectation's `via` names.
public struct Transport: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var scheme: TransportScheme
    public var port: Int

    public init(_ scheme: TransportScheme, _ port: Int) {
        self.scheme = scheme
        self.port = port
    }

    public var description: String { "\(scheme.rawValue):\(port)" }

    /// Parses `scheme:port`; `nil` when the text is not of that form or the port is out of range.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let scheme = TransportScheme(rawValue: parts[0].lowercased()),
            let port = Int(parts[1]), (1...65535).contains(port)
        else { return nil }
        self.init(scheme, port)
    }

    public static func < (lhs: Transport, rhs: Transport) -> Bool {
        (lhs.scheme, lhs.port) < (rhs.scheme, rhs.port)
    }
}
