/// The six RTMP URL schemes FFmpeg and librtmp accept.
///
/// The scheme decides two things the fallback cares about: which TCP port a portless URL uses and
/// whether the bytes travel inside HTTP (RTMPT), which is what gets through a port-80 proxy.
public enum RTMPScheme: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case rtmp
    case rtmpe
    case rtmps
    case rtmpt
    case rtmpte
    case rtmpts

    /// The port a URL without one connects to. FFmpeg (rtmpproto.c) and librtmp agree:
    /// rtmp and rtmpe 1935, rtmpt and rtmpte 80, rtmps and rtmpts 443.
    public var defaultPort: Int {
        switch self {
        case .rtmp, .rtmpe: 1935
        case .rtmpt, .rtmpte: 80
        case .rtmps, .rtmpts: 443
        }
    }

    /// Whether the session is carried in HTTP requests (RTMPT family).
    public var isTunneled: Bool {
        switch self {
        case .rtmpt, .rtmpte, .rtmpts: true
        case .rtmp, .rtmpe, .rtmps: false
        }
    }

    /// Whether the transport is wrapped in TLS.
    public var usesTLS: Bool {
        switch self {
        case .rtmps, .rtmpts: true
        case .rtmp, .rtmpe, .rtmpt, .rtmpte: false
        }
    }

    /// The HTTP-tunneled counterpart, as players derive their fallback: JW Player 5 and Flowplayer turn
    /// `rtmp` into `rtmpt` and `rtmpe` into `rtmpte`. A tunneled scheme is its own counterpart.
    public var tunneled: RTMPScheme {
        switch self {
        case .rtmp, .rtmpt: .rtmpt
        case .rtmpe, .rtmpte: .rtmpte
        case .rtmps, .rtmpts: .rtmpts
        }
    }

    public var description: String { rawValue }
}
