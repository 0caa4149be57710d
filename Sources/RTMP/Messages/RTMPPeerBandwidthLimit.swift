/// The limit type of Set Peer Bandwidth (RTMP 1.0 section 5.4.5).
public enum RTMPPeerBandwidthLimit: UInt8, Sendable, Equatable {
    case hard = 0
    case soft = 1
    /// What nginx-rtmp and ffmpeg's server send.
    case dynamic = 2
}
