/// Where a Flash Player 9 digest sits inside a 1536-byte C1/S1.
///
/// Both schemes exist in the wild: ffmpeg and nginx-rtmp write scheme 0; librtmp and Flash Player 10+
/// can use scheme 1; validators (ffmpeg, librtmp, nginx-rtmp) try both, so our verifiers do too, and
/// our writers let the caller pick to exercise either path.
public enum HandshakeDigestScheme: Sendable, Equatable, CaseIterable {
    /// Offset = `(b[8] + b[9] + b[10] + b[11]) % 728 + 12`.
    case scheme0
    /// Offset = `(b[772] + b[773] + b[774] + b[775]) % 728 + 776`.
    case scheme1
}
