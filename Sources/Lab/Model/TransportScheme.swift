/// The RTMP-family schemes a URL, a candidate or a server port can speak.
public enum TransportScheme: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Plain RTMP over TCP.
    case rtmp
    /// RTMP tunnelled in HTTP POSTs.
    case rtmpt
    /// RTMP over TLS.
    case rtmps
    /// RTMP encrypted with Adobe's RTMPE handshake.
    case rtmpe
    /// RTMPE tunnelled in HTTP.
    case rtmpte
    /// RTMPT over TLS (HTTPS).
    case rtmpts

    /// The port a URL without one connects to (what Flash and librtmp use).
    public var defaultPort: Int {
        switch self {
        case .rtmp, .rtmpe: 1935
        case .rtmpt, .rtmpte: 80
        case .rtmps, .rtmpts: 443
        }
    }

    /// The order reports list schemes in: plain first, then the tunnels and the encrypted ones.
    var rank: Int {
        switch self {
        case .rtmp: 0
        case .rtmpt: 1
        case .rtmps: 2
        case .rtmpe: 3
        case .rtmpte: 4
        case .rtmpts: 5
        }
    }

    public static func < (lhs: TransportScheme, rhs: TransportScheme) -> Bool { lhs.rank < rhs.rank }
}
