/// Why a chunk stream could not be decoded.
///
/// Each case is a rule of the chunk format or one of the decoder's limits; after any of them the
/// stream cannot be resynchronised, so the connection has to be closed.
public enum RTMPChunkError: Error, Sendable, Equatable {
    /// A type 1, 2 or 3 chunk on a chunk stream that has had no type 0 header yet.
    case missingPreviousHeader(chunkStreamID: UInt32, format: UInt8)
    /// A type 0, 1 or 2 header while a message on the same chunk stream is still incomplete.
    case headerInsideMessage(chunkStreamID: UInt32, format: UInt8)
    /// A message longer than the decoder accepts.
    case messageTooLarge(length: UInt32, limit: UInt32)
    /// More distinct chunk streams than the decoder tracks.
    case tooManyChunkStreams(limit: Int)
    /// Set Chunk Size with 0, the high bit set, or a value above the decoder's limit.
    case invalidChunkSize(UInt32)
    /// A protocol control message (Set Chunk Size, Abort) whose payload is too short.
    case malformedControlMessage(typeID: UInt8, length: Int)
}
