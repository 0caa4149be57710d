/// Which C1 a client sends.
///
/// `plain` is the RTMP 1.0 specification handshake (C1 bytes 4–7 zero, C2 echoes S1), which librtmp uses
/// by default and every server accepts. `digest` is the Flash Player 9 scheme that ffmpeg always uses:
/// C1 carries an HMAC-SHA256 digest keyed with the Flash Player key, and servers that know the scheme
/// (FMS, nginx-rtmp, SRS, Red5) answer with a digest S1 and a signed S2.
public enum HandshakeMode: Sendable, Equatable {
    case plain
    case digest
}
