/// One RTMP message as the chunk stream carries it: a header and an opaque payload.
///
/// This is the unit the chunk encoder and decoder exchange. ``RTMPMessage`` gives the payload a
/// meaning (protocol control, user control, AMF0 command, …).
public struct RTMPRawMessage: Sendable, Equatable {
    /// Chunk stream id, 2…65 599. 2 is reserved for protocol control; `connect` goes on 3.
    public var chunkStreamID: UInt32
    /// Absolute timestamp in milliseconds (wrapping at 2³²).
    public var timestamp: UInt32
    /// Message type id: 1 SetChunkSize … 20 AMF0 command, 22 aggregate.
    public var typeID: UInt8
    /// Message stream id: 0 for the NetConnection, the `createStream` result for a NetStream.
    public var messageStreamID: UInt32
    public var payload: [UInt8]

    public init(chunkStreamID: UInt32, timestamp: UInt32 = 0, typeID: UInt8, messageStreamID: UInt32 = 0, payload: [UInt8]) {
        self.chunkStreamID = chunkStreamID
        self.timestamp = timestamp
        self.typeID = typeID
        self.messageStreamID = messageStreamID
        self.payload = payload
    }
}
