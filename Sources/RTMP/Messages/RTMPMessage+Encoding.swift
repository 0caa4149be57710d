extension RTMPMessage {
    /// The chunk stream id peers use for this kind of message: 2 for protocol and user control (RTMP
    /// 1.0 section 5.4), 3 for everything else (ffmpeg's and librtmp's choice for commands).
    public var defaultChunkStreamID: UInt32 {
        switch self {
        case .setChunkSize, .abort, .acknowledgement, .userControl, .windowAcknowledgementSize, .setPeerBandwidth:
            2
        case .command, .other:
            3
        }
    }

    /// The message type id this message is sent with.
    public var typeID: UInt8 {
        switch self {
        case .setChunkSize: RTMPMessageType.setChunkSize
        case .abort: RTMPMessageType.abort
        case .acknowledgement: RTMPMessageType.acknowledgement
        case .userControl: RTMPMessageType.userControl
        case .windowAcknowledgementSize: RTMPMessageType.windowAcknowledgementSize
        case .setPeerBandwidth: RTMPMessageType.setPeerBandwidth
        case .command: RTMPMessageType.amf0Command
        case .other(let typeID, _): typeID
        }
    }

    /// The payload bytes. Commands are always written as type 20 (AMF0), never 17.
    public func encodedPayload() throws(AMF0Error) -> [UInt8] {
        var writer = WireWriter(capacity: 16)
        switch self {
        case .setChunkSize(let v), .abort(let v), .acknowledgement(let v), .windowAcknowledgementSize(let v):
            writer.u32BE(v)
        case .setPeerBandwidth(let v, let limit):
            writer.u32BE(v)
            writer.u8(limit.rawValue)
        case .userControl(let event):
            Self.encode(event, into: &writer)
        case .command(let command):
            return try AMF0Encoder.encode(
                [.string(command.name), .number(command.transactionID), command.commandObject] + command.arguments)
        case .other(_, let payload):
            return payload
        }
        return writer.bytes
    }

    /// This message as a raw message ready for the chunk encoder.
    public func raw(chunkStreamID: UInt32? = nil, timestamp: UInt32 = 0, messageStreamID: UInt32 = 0) throws(AMF0Error)
        -> RTMPRawMessage
    {
        RTMPRawMessage(
            chunkStreamID: chunkStreamID ?? defaultChunkStreamID, timestamp: timestamp, typeID: typeID,
            messageStreamID: messageStreamID, payload: try encodedPayload())
    }

    private static func encode(_ event: RTMPUserControlEvent, into writer: inout WireWriter) {
        switch event {
        case .streamBegin(let s):
            writer.u16BE(0)
            writer.u32BE(s)
        case .streamEOF(let s):
            writer.u16BE(1)
            writer.u32BE(s)
        case .streamDry(let s):
            writer.u16BE(2)
            writer.u32BE(s)
        case .setBufferLength(let s, let ms):
            writer.u16BE(3)
            writer.u32BE(s)
            writer.u32BE(ms)
        case .streamIsRecorded(let s):
            writer.u16BE(4)
            writer.u32BE(s)
        case .pingRequest(let t):
            writer.u16BE(6)
            writer.u32BE(t)
        case .pingResponse(let t):
            writer.u16BE(7)
            writer.u32BE(t)
        case .other(let type, let data):
            writer.u16BE(type)
            writer.append(contentsOf: data)
        }
    }
}
