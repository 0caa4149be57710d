/// One tag of an FLV file, as an RTMP message carries it: the message type (8 audio, 9 video, 18
/// data), the timestamp in milliseconds, and the tag's body (the message's payload).
public struct FLVTag: Sendable, Hashable {
    public var typeID: UInt8
    public var timestamp: UInt32
    public var payload: [UInt8]

    public init(typeID: UInt8, timestamp: UInt32, payload: [UInt8]) {
        self.typeID = typeID
        self.timestamp = timestamp
        self.payload = payload
    }
}
