/// Splits RTMP messages into chunks, compressing headers the way ffmpeg and nginx do.
///
/// Per chunk stream it remembers the last header and picks the smallest header that the peer can
/// decode unambiguously: type 0 for a chunk stream's first message, a new message stream id or a
/// timestamp going backwards; type 1 when length or type change; type 2 when only the timestamp
/// delta changes; type 3 when the delta repeats. A type 3 new message never follows a type 0 header,
/// because ffmpeg and nginx disagree about the delta it implies.
///
/// With ``compressesHeaders`` off every message starts with a type 0 header, as nginx-rtmp sends
/// its control and command messages (captured); ffmpeg compresses.
///
/// Extended timestamps (fields ≥ 0xFFFFFF) are repeated on type 3 chunks like ffmpeg and nginx do,
/// unless ``repeatsExtendedTimestampOnType3`` is off (librtmp's way).
///
/// ```swift
/// var encoder = RTMPChunkEncoder()
/// let bytes = encoder.encode(RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: body))
/// ```
public struct RTMPChunkEncoder: Sendable {
    private struct StreamState: Sendable {
        var timestamp: UInt32
        var timestampField: UInt32
        var length: UInt32
        var typeID: UInt8
        var messageStreamID: UInt32
        var lastFormat: UInt8
    }

    /// The outgoing chunk size. Change it right after encoding a Set Chunk Size message, as the peer
    /// applies it from the next chunk on.
    public var chunkSize: UInt32 {
        didSet { chunkSize = min(max(chunkSize, 1), 0x7FFF_FFFF) }
    }
    public var repeatsExtendedTimestampOnType3: Bool
    /// Whether headers are compressed against the chunk stream's previous message.
    public var compressesHeaders: Bool
    private var streams: [UInt32: StreamState] = [:]

    public init(chunkSize: UInt32 = 128, repeatsExtendedTimestampOnType3: Bool = true, compressesHeaders: Bool = true) {
        self.chunkSize = min(max(chunkSize, 1), 0x7FFF_FFFF)
        self.repeatsExtendedTimestampOnType3 = repeatsExtendedTimestampOnType3
        self.compressesHeaders = compressesHeaders
    }

    /// The chunks of `message`. Chunk stream ids outside 2…65 599 and payloads longer than 2²⁴−1 bytes
    /// cannot be expressed and return ``RTMPChunkEncodingError``.
    public mutating func encode(_ message: RTMPRawMessage) throws(RTMPChunkEncodingError) -> [UInt8] {
        guard (2...65_599).contains(message.chunkStreamID) else {
            throw .chunkStreamIDOutOfRange(message.chunkStreamID)
        }
        guard message.payload.count <= 0xFF_FFFF else {
            throw .payloadTooLong(message.payload.count)
        }
        let length = UInt32(message.payload.count)
        let previous = streams[message.chunkStreamID]
        let format: UInt8
        let field: UInt32
        if compressesHeaders, let previous, previous.messageStreamID == message.messageStreamID,
            message.timestamp >= previous.timestamp
        {
            let delta = message.timestamp - previous.timestamp
            if previous.length != length || previous.typeID != message.typeID {
                format = 1
            } else if delta != previous.timestampField || previous.lastFormat == 0 {
                format = 2
            } else {
                format = 3
            }
            field = format == 3 ? previous.timestampField : delta
        } else {
            format = 0
            field = message.timestamp
        }
        streams[message.chunkStreamID] = StreamState(
            timestamp: message.timestamp, timestampField: field, length: length, typeID: message.typeID,
            messageStreamID: message.messageStreamID, lastFormat: format)

        let extended = field >= 0xFFFFFF
        let size = Int(chunkSize)
        var writer = WireWriter(capacity: message.payload.count + 18 + message.payload.count / size * 8)
        writeBasicHeader(format: format, chunkStreamID: message.chunkStreamID, into: &writer)
        let field24 = extended ? 0xFFFFFF : field
        switch format {
        case 0:
            writer.u24BE(field24)
            writer.u24BE(length)
            writer.u8(message.typeID)
            writer.u32LE(message.messageStreamID)
        case 1:
            writer.u24BE(field24)
            writer.u24BE(length)
            writer.u8(message.typeID)
        case 2:
            writer.u24BE(field24)
        default:
            break
        }
        if extended && (format != 3 || repeatsExtendedTimestampOnType3) {
            writer.u32BE(field)
        }
        var offset = 0
        repeat {
            if offset > 0 {
                writeBasicHeader(format: 3, chunkStreamID: message.chunkStreamID, into: &writer)
                if extended && repeatsExtendedTimestampOnType3 { writer.u32BE(field) }
            }
            let end = min(offset + size, message.payload.count)
            writer.append(contentsOf: message.payload[offset..<end])
            offset = end
        } while offset < message.payload.count
        return writer.bytes
    }

    /// Forgets the header of `chunkStreamID`, so its next message starts with a type 0 header (used
    /// after sending Abort).
    public mutating func reset(chunkStreamID: UInt32) {
        streams[chunkStreamID] = nil
    }

    private func writeBasicHeader(format: UInt8, chunkStreamID: UInt32, into writer: inout WireWriter) {
        switch chunkStreamID {
        case 2...63:
            writer.u8(format << 6 | UInt8(chunkStreamID))
        case 64...319:
            writer.u8(format << 6)
            writer.u8(UInt8(chunkStreamID - 64))
        default:
            writer.u8(format << 6 | 1)
            writer.u16LE(UInt16(truncatingIfNeeded: chunkStreamID - 64))
        }
    }
}
