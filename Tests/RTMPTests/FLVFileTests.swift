import Testing
@testable import RTMP

/// FLV files read for `serve --media FILE.flv`, and the server playing one paced by its timestamps.
@Suite struct FLVFileTests {
    /// An FLV file of `tags` as a muxer writes it: header, PreviousTagSize0, then each tag and its size.
    static func file(_ tags: [FLVTag], flags: UInt8 = 0x01) -> [UInt8] {
        var bytes: [UInt8] = Array("FLV".utf8) + [1, flags, 0, 0, 0, 9, 0, 0, 0, 0]
        for tag in tags {
            let size = UInt32(tag.payload.count)
            bytes += [tag.typeID, UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
            bytes += [UInt8(tag.timestamp >> 16 & 0xFF), UInt8(tag.timestamp >> 8 & 0xFF), UInt8(tag.timestamp & 0xFF),
                      UInt8(tag.timestamp >> 24)]
            bytes += [0, 0, 0] + tag.payload
            let previous = size + 11
            bytes += [UInt8(previous >> 24), UInt8(previous >> 16 & 0xFF), UInt8(previous >> 8 & 0xFF), UInt8(previous & 0xFF)]
        }
        return bytes
    }

    static let tags = [
        FLVTag(typeID: 18, timestamp: 0, payload: [2, 0, 10] + Array("onMetaData".utf8)),
        FLVTag(typeID: 9, timestamp: 0, payload: [0x17, 0, 0, 0, 0, 1, 2, 3]),
        FLVTag(typeID: 9, timestamp: 0, payload: [0x17, 1, 0, 0, 0, 9]),
        FLVTag(typeID: 8, timestamp: 23, payload: [0xAF, 1, 5]),
        FLVTag(typeID: 9, timestamp: 40, payload: [0x27, 1, 0, 0, 0, 8]),
        // Past 2²⁴ ms: the timestamp's extension byte.
        FLVTag(typeID: 9, timestamp: 16_777_300, payload: [0x27, 1, 0, 0, 0, 7]),
    ]

    @Test func aMuxersFileReadsBackTagForTag() throws {
        #expect(try FLVFile(parsing: Self.file(Self.tags)).tags == Self.tags)
    }

    @Test func badFilesAreRefusedWithWhereAndWhat() {
        #expect(throws: FLVFileError.notFLV) { try FLVFile(parsing: Array("GIF89a".utf8) + [0, 0, 0]) }
        var header = Self.file([])
        header[8] = 200
        #expect(throws: FLVFileError.badHeaderSize(200)) { try FLVFile(parsing: header) }
        let whole = Self.file(Self.tags)
        // The last tag cut short: it starts after the header (9), PreviousTagSize0 (4) and the tags before it.
        let lastAt = 13 + Self.tags.dropLast().map { 11 + $0.payload.count + 4 }.reduce(0, +)
        #expect(throws: FLVFileError.truncatedTag(offset: lastAt)) { try FLVFile(parsing: Array(whole.dropLast(8))) }
        var encrypted = Self.file([Self.tags[1]])
        encrypted[13] |= 0x20
        #expect(throws: FLVFileError.unsupportedTag(type: 0x29, offset: 13)) { try FLVFile(parsing: encrypted) }
        #expect(throws: FLVFileError.noMedia) { try FLVFile(parsing: Self.file([Self.tags[0]])) }
        #expect(FLVFileError.truncatedTag(offset: 42).description == "the tag at byte 42 runs past the end of the file")
    }

    /// A file's play: the tags at 0 at once, the rest as 10 ms ticks reach their timestamps, counted
    /// from the first tag's; the end of the file ends the play with StreamEOF and Play.Stop.
    @Test func aFileIsPlayedPacedByItsTimestampsAndEnds() throws {
        // A recording cut from a longer one: timestamps start at 1000.
        let shifted = Self.tags.prefix(5).map { FLVTag(typeID: $0.typeID, timestamp: $0.timestamp + 1000, payload: $0.payload) }
        let media = PlayableMedia.file(FLVFile(tags: Array(shifted)))
        var (server, reader, encoder) = try ServerMediaTests().connected(.init(playableStreams: nil, media: media))
        let start = server.received(try ServerMediaTests.command(
            RTMPCommand(name: "play", transactionID: 5, arguments: [.string("x")]), stream: 1, &encoder))
        guard case .sendAndScheduleTimer(let bytes, _, .nextFrame, .milliseconds(10)) = start else {
            Issue.record("\(start)")
            return
        }
        let first = try reader.raws(bytes).filter { $0.typeID == 8 || $0.typeID == 9 || $0.typeID == 18 }
        #expect(first.map(\.payload) == shifted.prefix(3).map(\.payload))
        #expect(first.map(\.timestamp) == [1000, 1000, 1000])
        // Ticks 1 and 2 (10, 20 ms): nothing due; tick 3 (30 ms): the audio tag at +23 ms.
        #expect(try reader.raws(server.timerFired(.nextFrame).bytes).isEmpty)
        #expect(try reader.raws(server.timerFired(.nextFrame).bytes).isEmpty)
        let audio = try reader.raws(server.timerFired(.nextFrame).bytes)
        #expect(audio.map(\.typeID) == [8] && audio.first?.timestamp == 1023 && audio.first?.chunkStreamID == 6)
        // Tick 4 (40 ms): the last tag, then the end of the play, and no more timer.
        let last = server.timerFired(.nextFrame)
        guard case .send(let lastBytes, []) = last else {
            Issue.record("the end of the file ends the timer: \(last)")
            return
        }
        #expect(try reader.read(lastBytes) == [
            .other(typeID: 9, payload: shifted[4].payload),
            .userControl(.streamEOF(streamID: 1)),
            ServerSessionTests.status("status", "NetStream.Play.Stop", "Stopped playing."),
        ])
    }
}
