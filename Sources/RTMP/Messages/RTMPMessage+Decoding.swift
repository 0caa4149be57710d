extension RTMPMessage {
    /// Interprets a raw message's payload.
    ///
    /// Extra bytes after a control message's fields are ignored, as ffmpeg and nginx do.
    public init(decoding raw: RTMPRawMessage, amf0: AMF0Decoder = AMF0Decoder()) throws(RTMPMessageError) {
        var reader = WireReader(raw.payload[...])
        let truncated = RTMPMessageError.truncated(typeID: raw.typeID, length: raw.payload.count)
        switch raw.typeID {
        case RTMPMessageType.setChunkSize:
            guard let v = reader.u32BE() else { throw truncated }
            self = .setChunkSize(v)
        case RTMPMessageType.abort:
            guard let v = reader.u32BE() else { throw truncated }
            self = .abort(chunkStreamID: v)
        case RTMPMessageType.acknowledgement:
            guard let v = reader.u32BE() else { throw truncated }
            self = .acknowledgement(sequenceNumber: v)
        case RTMPMessageType.windowAcknowledgementSize:
            guard let v = reader.u32BE() else { throw truncated }
            self = .windowAcknowledgementSize(v)
        case RTMPMessageType.setPeerBandwidth:
            guard let v = reader.u32BE(), let l = reader.u8() else { throw truncated }
            guard let limit = RTMPPeerBandwidthLimit(rawValue: l) else { throw .unknownPeerBandwidthLimit(l) }
            self = .setPeerBandwidth(v, limit: limit)
        case RTMPMessageType.userControl:
            self = .userControl(try Self.userControl(&reader, truncated: truncated))
        case RTMPMessageType.amf0Command:
            self = .command(try Self.command(raw.payload[...], amf0: amf0))
        case RTMPMessageType.amf3Command:
            // AMF3 command framing: one 0x00 byte, then AMF0 values (ffmpeg and librtmp skip it too).
            guard !raw.payload.isEmpty else { throw truncated }
            self = .command(try Self.command(raw.payload.dropFirst(), amf0: amf0))
        default:
            self = .other(typeID: raw.typeID, payload: raw.payload)
        }
    }

    private static func userControl(_ reader: inout WireReader, truncated: RTMPMessageError) throws(RTMPMessageError)
        -> RTMPUserControlEvent
    {
        guard let event = reader.u16BE() else { throw truncated }
        switch event {
        case 0, 1, 2, 4, 6, 7:
            guard let v = reader.u32BE() else { throw truncated }
            switch event {
            case 0: return .streamBegin(streamID: v)
            case 1: return .streamEOF(streamID: v)
            case 2: return .streamDry(streamID: v)
            case 4: return .streamIsRecorded(streamID: v)
            case 6: return .pingRequest(timestamp: v)
            default: return .pingResponse(timestamp: v)
            }
        case 3:
            guard let stream = reader.u32BE(), let ms = reader.u32BE() else { throw truncated }
            return .setBufferLength(streamID: stream, milliseconds: ms)
        default:
            return .other(eventType: event, data: Array(reader.remaining))
        }
    }

    private static func command(_ payload: ArraySlice<UInt8>, amf0: AMF0Decoder) throws(RTMPMessageError) -> RTMPCommand {
        // A top-level switch to AMF3 (Flash with objectEncoding 3 does it for object arguments) ends
        // what can be read: the values before it are kept, `.switchToAMF3` marks the cut, and the
        // AMF3 bytes are dropped, so name and transaction id still come through.
        let values: [AMF0Value]
        do {
            values = try amf0.decodeValues(payload).values
        } catch {
            throw .amf0(error)
        }
        guard values.count >= 2, let name = values[0].stringValue, let txn = values[1].numberValue else {
            throw .malformedCommand
        }
        return RTMPCommand(
            name: name, transactionID: txn, commandObject: values.count > 2 ? values[2] : .null,
            arguments: Array(values.dropFirst(3)))
    }
}
