/// Why a handshake cannot go on. Every malformed input maps to one of these; nothing traps.
public enum RTMPHandshakeError: Error, Sendable, Equatable {
    /// C0/S0 was 0x06, 0x08 or 0x09: the peer wants RTMPE (encrypted RTMP), which we do not implement.
    case encryptionNotSupported(version: UInt8)
    /// C0/S0 was neither 0x03 nor an RTMPE value: the peer is not speaking RTMP.
    case unsupportedVersion(UInt8)
    /// `received(_:)` was called on a client before `start()`: there is no C1 to answer to yet.
    case receivedBeforeStart
    /// Bytes arrived after the handshake already completed or failed; they belong to the chunk stream
    /// (completion hands over the `leftover`) and must not be fed here.
    case alreadyFinished
}
