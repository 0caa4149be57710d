/// Reassembles RTMP messages from chunk-stream bytes, whatever the read boundaries.
///
/// Feed bytes with ``append(_:)`` and pull messages with ``nextMessage()`` until it returns `nil`.
/// A chunk is only consumed once all of it is buffered, so the messages and errors are the same
/// whether the bytes arrive one at a time, all at once or in random pieces.
///
/// The decoder applies what belongs to the chunk layer itself, before it reads the next chunk:
/// Set Chunk Size (type 1) changes the incoming chunk size and Abort (type 2) drops a partial
/// message. Both are still returned, so a session can log them.
///
/// Extended timestamps: when a chunk stream's last header carried an extended timestamp, ffmpeg and
/// nginx repeat the 4 bytes on each type 3 chunk and librtmp does not. In ``ExtendedTimestampOnType3/detect``
/// mode (the default) the decoder consumes the 4 bytes when they equal the value of that header —
/// the test ffmpeg's own reader uses — so both kinds of peer decode correctly.
///
/// Memory is bounded by ``Limits``: buffered bytes never exceed one chunk plus its header, partial
/// messages never exceed ``Limits/maxMessageSize``, and at most ``Limits/maxChunkStreams`` chunk
/// streams are tracked.
///
/// ```swift
/// var decoder = RTMPChunkDecoder()
/// decoder.append(bytesFromSocket)
/// while let message = try decoder.nextMessage() { handle(message) }
/// ```
public struct RTMPChunkDecoder: Sendable {
    /// Bounds on what hostile input can make the decoder hold.
    public struct Limits: Sendable, Equatable {
        /// Longest message accepted (nginx-rtmp's default `max_message` is 1 MB).
        public var maxMessageSize: UInt32
        /// Largest Set Chunk Size accepted (the format allows up to 2³¹−1).
        public var maxChunkSize: UInt32
        /// Most chunk streams tracked at once (nginx-rtmp's default `max_streams` is 32).
        public var maxChunkStreams: Int

        public init(maxMessageSize: UInt32 = 1 << 20, maxChunkSize: UInt32 = 1 << 24, maxChunkStreams: Int = 64) {
            self.maxMessageSize = maxMessageSize
            self.maxChunkSize = maxChunkSize
            self.maxChunkStreams = maxChunkStreams
        }
    }

    /// Whether type 3 chunks after an extended-timestamp header carry the 4 bytes again.
    public enum ExtendedTimestampOnType3: Sendable, Equatable {
        /// Consume them when they equal the header's value (ffmpeg, nginx and librtmp all decode).
        case detect
        /// Always present (ffmpeg, nginx).
        case always
        /// Never present (librtmp).
        case never
    }

    /// What the decoder remembers about one chunk stream between chunks.
    private struct StreamState: Sendable {
        var timestamp: UInt32
        /// The last timestamp field read: absolute after type 0, a delta after types 1 and 2.
        var timestampField: UInt32
        var length: UInt32
        var typeID: UInt8
        var messageStreamID: UInt32
        /// Whether the last type 0/1/2 header used an extended timestamp.
        var extended: Bool
        /// The payload of the message in progress, `nil` between messages.
        var partial: [UInt8]?
    }

    public let limits: Limits
    public var extendedTimestampOnType3: ExtendedTimestampOnType3
    /// The current incoming chunk size (128 until the peer sends Set Chunk Size).
    public private(set) var chunkSize: UInt32 = 128
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var streams: [UInt32: StreamState] = [:]

    public init(limits: Limits = Limits(), extendedTimestampOnType3: ExtendedTimestampOnType3 = .detect) {
        self.limits = limits
        self.extendedTimestampOnType3 = extendedTimestampOnType3
    }

    /// Number of bytes received but not yet consumed as whole chunks.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Adds received bytes; call ``nextMessage()`` afterwards.
    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeFirst(readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or `nil` when more bytes are needed.
    ///
    /// After an error the decoder's state is unspecified: close the connection.
    public mutating func nextMessage() throws(RTMPChunkError) -> RTMPRawMessage? {
        // Each iteration consumes one whole chunk; a message spans at most
        // maxMessageSize / chunkSize + 1 chunks, and the loop stops when the buffer runs dry.
        while true {
            guard let step = try parseChunk() else { return nil }
            if let message = step {
                try applyControl(message)
                return message
            }
        }
    }

    /// Parses one chunk if all of it is buffered. Returns `nil` for "need more bytes", `.some(nil)`
    /// for a chunk that did not complete a message, `.some(message)` when one completed.
    private mutating func parseChunk() throws(RTMPChunkError) -> RTMPRawMessage?? {
        var reader = WireReader(buffer[readIndex...])
        guard let first = reader.u8() else { return nil }
        let format = first >> 6
        let chunkStreamID: UInt32
        switch first & 0x3F {
        case 0:
            guard let b = reader.u8() else { return nil }
            chunkStreamID = 64 + UInt32(b)
        case 1:
            guard let v = reader.u16LE() else { return nil }
            chunkStreamID = 64 + UInt32(v)
        default:
            chunkStreamID = UInt32(first & 0x3F)
        }

        let previous = streams[chunkStreamID]
        if previous == nil {
            guard format == 0 else {
                throw .missingPreviousHeader(chunkStreamID: chunkStreamID, format: format)
            }
            guard streams.count < limits.maxChunkStreams else {
                throw .tooManyChunkStreams(limit: limits.maxChunkStreams)
            }
        }
        if format != 3, previous?.partial != nil {
            throw .headerInsideMessage(chunkStreamID: chunkStreamID, format: format)
        }

        var state = previous ?? StreamState(
            timestamp: 0, timestampField: 0, length: 0, typeID: 0, messageStreamID: 0, extended: false, partial: nil)
        let startsMessage = state.partial == nil
        switch format {
        case 0:
            guard let ts = reader.u24BE(), let length = reader.u24BE(), let type = reader.u8(),
                let sid = reader.u32LE()
            else { return nil }
            guard let field = readTimestamp(ts, &reader) else { return nil }
            state.timestampField = field
            state.extended = ts == 0xFFFFFF
            state.timestamp = field
            state.length = length
            state.typeID = type
            state.messageStreamID = sid
        case 1:
            guard let ts = reader.u24BE(), let length = reader.u24BE(), let type = reader.u8() else { return nil }
            guard let field = readTimestamp(ts, &reader) else { return nil }
            state.timestampField = field
            state.extended = ts == 0xFFFFFF
            state.timestamp &+= field
            state.length = length
            state.typeID = type
        case 2:
            guard let ts = reader.u24BE() else { return nil }
            guard let field = readTimestamp(ts, &reader) else { return nil }
            state.timestampField = field
            state.extended = ts == 0xFFFFFF
            state.timestamp &+= field
        default:
            if state.extended {
                switch extendedTimestampOnType3 {
                case .always:
                    guard reader.u32BE() != nil else { return nil }
                case .never:
                    break
                case .detect:
                    var peek = reader
                    guard let repeated = peek.u32BE() else { return nil }
                    if repeated == state.timestampField { reader = peek }
                }
            }
            if startsMessage {
                state.timestamp &+= state.timestampField
            }
        }

        guard state.length <= limits.maxMessageSize else {
            throw .messageTooLarge(length: state.length, limit: limits.maxMessageSize)
        }
        let received = state.partial?.count ?? 0
        let chunkPayload = min(Int(chunkSize), Int(state.length) - received)
        guard let payload = reader.bytes(chunkPayload) else { return nil }

        // The whole chunk is buffered: commit.
        readIndex += reader.offset
        var partial = state.partial ?? []
        // Drop the other references to the partial payload so the append below does not copy it
        // (which would make a large message quadratic in its chunk count).
        state.partial = nil
        streams[chunkStreamID] = nil
        if startsMessage { partial.reserveCapacity(Int(state.length)) }
        partial.append(contentsOf: payload)
        if partial.count == Int(state.length) {
            state.partial = nil
            streams[chunkStreamID] = state
            return .some(RTMPRawMessage(
                chunkStreamID: chunkStreamID, timestamp: state.timestamp, typeID: state.typeID,
                messageStreamID: state.messageStreamID, payload: partial))
        }
        state.partial = partial
        streams[chunkStreamID] = state
        return .some(nil)
    }

    private func readTimestamp(_ field: UInt32, _ reader: inout WireReader) -> UInt32? {
        field == 0xFFFFFF ? reader.u32BE() : field
    }

    /// Applies Set Chunk Size and Abort, which change how the following chunks are read.
    private mutating func applyControl(_ message: RTMPRawMessage) throws(RTMPChunkError) {
        switch message.typeID {
        case RTMPMessageType.setChunkSize:
            var reader = WireReader(message.payload[...])
            guard let size = reader.u32BE() else {
                throw .malformedControlMessage(typeID: message.typeID, length: message.payload.count)
            }
            guard size > 0, size & 0x8000_0000 == 0, size <= limits.maxChunkSize else {
                throw .invalidChunkSize(size)
            }
            chunkSize = size
        case RTMPMessageType.abort:
            var reader = WireReader(message.payload[...])
            guard let csid = reader.u32BE() else {
                throw .malformedControlMessage(typeID: message.typeID, length: message.payload.count)
            }
            streams[csid]?.partial = nil
        default:
            break
        }
    }
}
