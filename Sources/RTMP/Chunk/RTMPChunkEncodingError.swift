/// Why a message cannot be put into chunks: the chunk format has no way to express it.
public enum RTMPChunkEncodingError: Error, Sendable, Equatable {
    /// Chunk stream ids run from 2 to 65 599 (0 and 1 select the longer basic headers).
    case chunkStreamIDOutOfRange(UInt32)
    /// The message length field is 24 bits.
    case payloadTooLong(Int)
}
