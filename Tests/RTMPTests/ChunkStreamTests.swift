import Testing
@testable import RTMP

@Suite struct ChunkStreamTests {
    /// Decodes `pieces` fed one after the other, pulling every message after each piece.
    static func decode(_ pieces: [ArraySlice<UInt8>], decoder: RTMPChunkDecoder = RTMPChunkDecoder()) throws(RTMPChunkError)
        -> [RTMPRawMessage]
    {
        var decoder = decoder
        var out: [RTMPRawMessage] = []
        for piece in pieces {
            decoder.append(piece)
            while let message = try decoder.nextMessage() { out.append(message) }
        }
        return out
    }

    // Golden: Set Chunk Size 4096 as nginx-rtmp sends it (csid 2, fmt 0, stream 0), from the
    // chunk header layout in rtmp-wire.md.
    @Test func goldenSetChunkSize() throws {
        var encoder = RTMPChunkEncoder()
        let bytes = try encoder.encode(try RTMPMessage.setChunkSize(4096).raw())
        #expect(bytes == hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 10 00"))
        #expect(try Self.decode([bytes[...]]).map { try RTMPMessage(decoding: $0) } == [.setChunkSize(4096)])
    }

    @Test func allThreeBasicHeaderForms() throws {
        for (csid, header) in [(3 as UInt32, hex("03")), (63, hex("3F")), (64, hex("00 00")), (319, hex("00 FF")),
                               (320, hex("01 00 01")), (400, hex("01 50 01")), (65_599, hex("01 FF FF"))] {
            var encoder = RTMPChunkEncoder()
            let message = RTMPRawMessage(chunkStreamID: csid, timestamp: 5, typeID: 9, messageStreamID: 1, payload: [1, 2])
            let bytes = try encoder.encode(message)
            #expect(Array(bytes.prefix(header.count)) == header, "csid \(csid)")
            #expect(bytes.count == header.count + 11 + 2)
            #expect(try Self.decode([bytes[...]]) == [message])
        }
        var encoder = RTMPChunkEncoder()
        #expect(throws: RTMPChunkEncodingError.chunkStreamIDOutOfRange(1)) {
            try encoder.encode(RTMPRawMessage(chunkStreamID: 1, typeID: 9, payload: []))
        }
        #expect(throws: RTMPChunkEncodingError.chunkStreamIDOutOfRange(65_600)) {
            try encoder.encode(RTMPRawMessage(chunkStreamID: 65_600, typeID: 9, payload: []))
        }
    }

    @Test func headerCompressionPicksFormats0To3() throws {
        var encoder = RTMPChunkEncoder()
        let m0 = RTMPRawMessage(chunkStreamID: 4, timestamp: 1000, typeID: 8, messageStreamID: 1, payload: [0xAA])
        let m1 = RTMPRawMessage(chunkStreamID: 4, timestamp: 1020, typeID: 8, messageStreamID: 1, payload: [0xBB, 0xCC])
        let m2 = RTMPRawMessage(chunkStreamID: 4, timestamp: 1050, typeID: 8, messageStreamID: 1, payload: [0xDD, 0xEE])
        let m3 = RTMPRawMessage(chunkStreamID: 4, timestamp: 1080, typeID: 8, messageStreamID: 1, payload: [0x01, 0x02])
        var bytes: [UInt8] = []
        let e0 = try encoder.encode(m0)
        let e1 = try encoder.encode(m1)
        let e2 = try encoder.encode(m2)
        let e3 = try encoder.encode(m3)
        #expect(e0 == hex("04 00 03 E8 00 00 01 08 01 00 00 00 AA"))
        #expect(e1 == hex("44 00 00 14 00 00 02 08 BB CC"))
        #expect(e2 == hex("84 00 00 1E DD EE"))
        #expect(e3 == hex("C4 01 02"))
        bytes = e0 + e1 + e2 + e3
        #expect(try Self.decode([bytes[...]]) == [m0, m1, m2, m3])
    }

    @Test func type3NewMessageAfterType0UsesTheFieldAsDelta() throws {
        // ffmpeg's reading of an ambiguous case: the type 0 timestamp field is the delta.
        let bytes = hex("05 00 00 0A 00 00 01 08 01 00 00 00 AA C5 BB")
        let messages = try Self.decode([bytes[...]])
        #expect(messages.map(\.timestamp) == [10, 20])
        #expect(messages.map(\.payload) == [[0xAA], [0xBB]])
    }

    @Test func messagesSplitIntoChunksAtTheChunkSize() throws {
        var encoder = RTMPChunkEncoder()
        let payload = (0..<300).map { UInt8($0 % 256) }
        let message = RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: payload)
        let bytes = try encoder.encode(message)
        #expect(bytes.count == 12 + 300 + 2)
        #expect(bytes[12 + 128] == 0xC3)
        #expect(bytes[12 + 128 + 1 + 128] == 0xC3)
        #expect(try Self.decode([bytes[...]]) == [message])
        encoder.chunkSize = 4096
        let big = try encoder.encode(message)
        // Same length and type, zero delta after a type 0 header: a type 2 header, then one chunk.
        #expect(big == hex("83 00 00 00") + payload)
    }

    @Test func extendedTimestampsRepeatOnType3LikeFFmpegAndNginx() throws {
        var encoder = RTMPChunkEncoder()
        let payload = [UInt8](repeating: 0x55, count: 200)
        let message = RTMPRawMessage(chunkStreamID: 6, timestamp: 0x0100_0000, typeID: 9, messageStreamID: 1, payload: payload)
        let bytes = try encoder.encode(message)
        #expect(Array(bytes.prefix(16)) == hex("06 FF FF FF 00 00 C8 09 01 00 00 00 01 00 00 00"))
        #expect(Array(bytes[(16 + 128)..<(16 + 128 + 5)]) == hex("C6 01 00 00 00"))
        #expect(bytes.count == 16 + 200 + 5)
        #expect(try Self.decode([bytes[...]]) == [message])
        #expect(try Self.decode([bytes[...]], decoder: RTMPChunkDecoder(extendedTimestampOnType3: .always)) == [message])
    }

    @Test func extendedTimestampsWithoutRepeatLikeLibrtmp() throws {
        var encoder = RTMPChunkEncoder(repeatsExtendedTimestampOnType3: false)
        let payload = [UInt8](repeating: 0x55, count: 200)
        let message = RTMPRawMessage(chunkStreamID: 6, timestamp: 0xFFFFFF, typeID: 9, messageStreamID: 1, payload: payload)
        let bytes = try encoder.encode(message)
        #expect(bytes.count == 16 + 200 + 1)
        #expect(try Self.decode([bytes[...]]) == [message])
        #expect(try Self.decode([bytes[...]], decoder: RTMPChunkDecoder(extendedTimestampOnType3: .never)) == [message])
    }

    @Test func extendedDeltaOnType1AndType3NewMessages() throws {
        var encoder = RTMPChunkEncoder()
        let a = RTMPRawMessage(chunkStreamID: 7, timestamp: 1, typeID: 8, messageStreamID: 1, payload: [1])
        let b = RTMPRawMessage(chunkStreamID: 7, timestamp: 0x0200_0001, typeID: 8, messageStreamID: 1, payload: [2, 2])
        let c = RTMPRawMessage(chunkStreamID: 7, timestamp: 0x0400_0001, typeID: 8, messageStreamID: 1, payload: [3, 3])
        let bytes = try encoder.encode(a) + encoder.encode(b) + encoder.encode(c)
        // c is a type 3 new message whose repeated extended delta is 0x02000000.
        #expect(Array(bytes.suffix(7)) == hex("C7 02 00 00 00 03 03"))
        #expect(try Self.decode([bytes[...]]) == [a, b, c])
    }

    /// A stream with everything the decoder must handle: interleaved chunk streams, a Set Chunk Size
    /// in the middle, an Abort, extended timestamps and all three basic header forms.
    static func richStream() throws -> (bytes: [UInt8], messages: [RTMPRawMessage]) {
        var bytes: [UInt8] = []
        var expected: [RTMPRawMessage] = []
        // Two 200-byte messages interleaved chunk by chunk at chunk size 128.
        let a = RTMPRawMessage(chunkStreamID: 4, timestamp: 7, typeID: 8, messageStreamID: 1, payload: (0..<200).map { UInt8($0 & 0xFF) })
        let b = RTMPRawMessage(chunkStreamID: 300, timestamp: 9, typeID: 9, messageStreamID: 1, payload: (0..<200).map { UInt8(255 - $0 & 0xFF) })
        bytes += hex("04 00 00 07 00 00 C8 08 01 00 00 00") + a.payload[0..<128]
        bytes += hex("01 EC 00 00 00 09 00 00 C8 09 01 00 00 00") + b.payload[0..<128]
        bytes += hex("C4") + a.payload[128...]
        bytes += hex("C1 EC 00") + b.payload[128...]
        expected += [a, b]
        // Set Chunk Size 1000, then a 600-byte message in one chunk.
        bytes += hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 03 E8")
        expected.append(RTMPRawMessage(chunkStreamID: 2, typeID: 1, payload: hex("00 00 03 E8")))
        let c = RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: [UInt8](repeating: 0x33, count: 600))
        bytes += hex("03 00 00 00 00 02 58 14 00 00 00 00") + c.payload
        expected.append(c)
        // A partial message on csid 5, aborted, then a fresh message there.
        bytes += hex("05 00 00 00 00 07 D0 08 01 00 00 00") + [UInt8](repeating: 1, count: 1000)
        bytes += hex("02 00 00 00 00 00 04 02 00 00 00 00 00 00 00 05")
        expected.append(RTMPRawMessage(chunkStreamID: 2, typeID: 2, payload: hex("00 00 00 05")))
        let d = RTMPRawMessage(chunkStreamID: 5, timestamp: 0x0123_4567, typeID: 8, messageStreamID: 1, payload: [9, 9, 9])
        bytes += hex("05 FF FF FF 00 00 03 08 01 00 00 00 01 23 45 67 09 09 09")
        expected.append(d)
        // A zero-length message and one from the encoder at the new chunk size.
        bytes += hex("06 00 00 01 00 00 00 12 00 00 00 00")
        expected.append(RTMPRawMessage(chunkStreamID: 6, timestamp: 1, typeID: 18, payload: []))
        var encoder = RTMPChunkEncoder(chunkSize: 1000)
        let e = RTMPRawMessage(chunkStreamID: 70, timestamp: 0x0FFF_FFFF, typeID: 9, messageStreamID: 2, payload: [UInt8](repeating: 7, count: 2500))
        bytes += try encoder.encode(e)
        expected.append(e)
        return (bytes, expected)
    }

    @Test func decodingIsSplitInvariant() throws {
        let (bytes, expected) = try Self.richStream()
        #expect(try Self.decode([bytes[...]]) == expected)
        #expect(try Self.decode(bytes.indices.map { bytes[$0...$0] }) == expected)
        var random = WireTestRandom(seed: 42)
        for _ in 0..<200 {
            #expect(try Self.decode(random.split(bytes, maxPiece: 300)) == expected)
        }
    }

    @Test func controlMessagesRoundTrip() throws {
        let messages: [RTMPMessage] = [
            .setChunkSize(4096), .abort(chunkStreamID: 3), .acknowledgement(sequenceNumber: 5_000_000),
            .windowAcknowledgementSize(2_500_000), .setPeerBandwidth(5_000_000, limit: .dynamic),
            .userControl(.streamBegin(streamID: 0)), .userControl(.streamEOF(streamID: 1)),
            .userControl(.streamDry(streamID: 1)), .userControl(.setBufferLength(streamID: 1, milliseconds: 3000)),
            .userControl(.streamIsRecorded(streamID: 1)), .userControl(.pingRequest(timestamp: 77)),
            .userControl(.pingResponse(timestamp: 77)), .userControl(.other(eventType: 31, data: [0, 0, 0, 1])),
            .command(RTMPCommand(name: "createStream", transactionID: 2)),
            .other(typeID: 9, payload: [0x17, 0x00]),
        ]
        var encoder = RTMPChunkEncoder()
        var bytes: [UInt8] = []
        for m in messages { bytes += try encoder.encode(try m.raw()) }
        #expect(try Self.decode([bytes[...]]).map { try RTMPMessage(decoding: $0) } == messages)
        // Golden: Set Peer Bandwidth 5 000 000 dynamic, Window Ack Size, ping request.
        #expect(try RTMPMessage.setPeerBandwidth(5_000_000, limit: .dynamic).encodedPayload() == hex("00 4C 4B 40 02"))
        #expect(try RTMPMessage.windowAcknowledgementSize(5_000_000).encodedPayload() == hex("00 4C 4B 40"))
        #expect(try RTMPMessage.userControl(.pingRequest(timestamp: 258)).encodedPayload() == hex("00 06 00 00 01 02"))
    }

    @Test func messageErrors() {
        #expect(throws: RTMPMessageError.truncated(typeID: 1, length: 3)) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 2, typeID: 1, payload: [0, 0, 1]))
        }
        #expect(throws: RTMPMessageError.unknownPeerBandwidthLimit(3)) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 2, typeID: 6, payload: [0, 0, 1, 0, 3]))
        }
        #expect(throws: RTMPMessageError.malformedCommand) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: hex("00 3F F0 00 00 00 00 00 00")))
        }
        #expect(throws: RTMPMessageError.amf0(.truncated(offset: 0))) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: hex("02 00 05 61")))
        }
        #expect(throws: RTMPMessageError.truncated(typeID: 4, length: 1)) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 2, typeID: 4, payload: [0]))
        }
    }

    @Test func amf3CommandFraming() throws {
        let body = try AMF0Encoder.encode([.string("connect"), .number(1), .null])
        let message = try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 3, typeID: 17, payload: [0] + body))
        #expect(message == .command(RTMPCommand(name: "connect", transactionID: 1)))
        // An AMF3 argument: the command still decodes up to the switch.
        let withAMF3 = try AMF0Encoder.encode([.string("play"), .number(4), .null, .switchToAMF3]) + [0x0A, 0x0B, 0x01, 0x01]
        #expect(try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 8, typeID: 17, payload: [0] + withAMF3))
                == .command(RTMPCommand(name: "play", transactionID: 4, arguments: [.switchToAMF3])))
        #expect(throws: RTMPMessageError.malformedCommand) {
            try RTMPMessage(decoding: RTMPRawMessage(chunkStreamID: 3, typeID: 20, payload: hex("02 00 01 61 11 00 00")))
        }
    }

    @Test func limitsAtNAndNPlusOne() throws {
        let limits = RTMPChunkDecoder.Limits(maxMessageSize: 100, maxChunkSize: 4096, maxChunkStreams: 2)
        let decoder = RTMPChunkDecoder(limits: limits)
        #expect(try Self.decode([hex("03 00 00 00 00 00 64 08 01 00 00 00")[...] + [UInt8](repeating: 0, count: 100)], decoder: decoder).count == 1)
        #expect(throws: RTMPChunkError.messageTooLarge(length: 101, limit: 100)) {
            try Self.decode([hex("03 00 00 00 00 00 65 08 01 00 00 00")[...]], decoder: decoder)
        }
        let two = hex("03 00 00 00 00 00 00 08 01 00 00 00 04 00 00 00 00 00 00 08 01 00 00 00")
        #expect(try Self.decode([two[...]], decoder: decoder).count == 2)
        #expect(throws: RTMPChunkError.tooManyChunkStreams(limit: 2)) {
            try Self.decode([(two + hex("05 00 00 00 00 00 00 08 01 00 00 00"))[...]], decoder: decoder)
        }
        #expect(try Self.decode([hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 10 00")[...]], decoder: decoder).count == 1)
        #expect(throws: RTMPChunkError.invalidChunkSize(4097)) {
            try Self.decode([hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 10 01")[...]], decoder: decoder)
        }
        #expect(throws: RTMPChunkError.invalidChunkSize(0)) {
            try Self.decode([hex("02 00 00 00 00 00 04 01 00 00 00 00 00 00 00 00")[...]])
        }
        #expect(throws: RTMPChunkError.invalidChunkSize(0x8000_0001)) {
            try Self.decode([hex("02 00 00 00 00 00 04 01 00 00 00 00 80 00 00 01")[...]])
        }
        #expect(throws: RTMPChunkError.malformedControlMessage(typeID: 1, length: 2)) {
            try Self.decode([hex("02 00 00 00 00 00 02 01 00 00 00 00 00 01")[...]])
        }
    }

    @Test func headerRuleViolations() {
        #expect(throws: RTMPChunkError.missingPreviousHeader(chunkStreamID: 3, format: 1)) {
            try Self.decode([hex("43 00 00 00 00 00 01 08 AA")[...]])
        }
        #expect(throws: RTMPChunkError.missingPreviousHeader(chunkStreamID: 3, format: 3)) {
            try Self.decode([hex("C3 AA")[...]])
        }
        #expect(throws: RTMPChunkError.headerInsideMessage(chunkStreamID: 3, format: 0)) {
            try Self.decode([(hex("03 00 00 00 00 00 C8 08 01 00 00 00") + [UInt8](repeating: 0, count: 128)
                + hex("03 00 00 00 00 00 01 08 01 00 00 00 AA"))[...]])
        }
    }

    @Test func hostileBytesGiveTypedErrorsAndBoundedBuffers() throws {
        var random = WireTestRandom(seed: 7)
        let (valid, _) = try Self.richStream()
        let limits = RTMPChunkDecoder.Limits(maxMessageSize: 64 * 1024, maxChunkSize: 64 * 1024, maxChunkStreams: 16)
        var errors = 0
        for case_ in 0..<3000 {
            let input = case_ % 3 == 0 ? random.bytes(Int.random(in: 1...512, using: &random)) : random.mutate(valid)
            var decoder = RTMPChunkDecoder(limits: limits)
            do {
                for piece in random.split(input, maxPiece: 97) {
                    decoder.append(piece)
                    while try decoder.nextMessage() != nil {}
                    // One chunk (at most the largest message) plus its header is all it may hold.
                    #expect(decoder.bufferedByteCount <= Int(limits.maxMessageSize) + 18 + 97)
                }
            } catch {
                errors += 1
            }
        }
        #expect(errors > 100)
    }
}

extension ChunkStreamTests {
    @Test func uncompressedHeadersLikeNginx() throws {
        var encoder = RTMPChunkEncoder(compressesHeaders: false)
        let a = RTMPRawMessage(chunkStreamID: 2, typeID: 5, payload: [0, 0x4C, 0x4B, 0x40])
        let b = RTMPRawMessage(chunkStreamID: 2, typeID: 6, payload: [0, 0x4C, 0x4B, 0x40, 2])
        #expect(try encoder.encode(a) + encoder.encode(b) == Array(CapturedVectors.nginxConnectReply.prefix(33)))
    }
}

extension ChunkStreamTests {
    @Test func resetStartsTheNextMessageWithAType0Header() throws {
        var encoder = RTMPChunkEncoder()
        let m = RTMPRawMessage(chunkStreamID: 4, timestamp: 5, typeID: 8, messageStreamID: 1, payload: [1])
        _ = try encoder.encode(m)
        #expect(try encoder.encode(m).first == 0x84)
        encoder.reset(chunkStreamID: 4)
        #expect(try encoder.encode(m) == hex("04 00 00 05 00 00 01 08 01 00 00 00 01"))
    }
}
