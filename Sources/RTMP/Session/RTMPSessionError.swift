/// Why a client or server session gave up on a connection.
///
/// Wraps the typed error of the layer that failed, so a report can say whether the peer broke the
/// handshake, the chunk format or a message.
public enum RTMPSessionError: Error, Sendable, Equatable {
    /// The handshake bytes were not RTMP (or asked for RTMPE).
    case handshake(RTMPHandshakeError)
    /// The chunk stream broke a rule or a limit.
    case chunk(RTMPChunkError)
    /// A message payload could not be interpreted.
    case message(RTMPMessageError)
    /// A value we were asked to send cannot be written as AMF0 (a key over 65 535 bytes).
    case encoding(AMF0Error)
    /// A message we were asked to send cannot be put into chunks.
    case chunkEncoding(RTMPChunkEncodingError)
    /// The client requires a verified server digest (librtmp's FP9 mode) and the server's S1/S2
    /// did not verify.
    case serverDigestNotVerified
    /// The client sent more commands during the server's think time than the server queues.
    case tooManyPendingCommands(limit: Int)
}
