import Testing
@testable import RTMP

@Suite struct AMF0Tests {
    // Golden vectors built from the AMF0 table in rtmp-wire.md (marker, then body).
    @Test func goldenScalars() throws {
        #expect(try AMF0Encoder.encode(.number(1)) == hex("00 3F F0 00 00 00 00 00 00"))
        #expect(try AMF0Encoder.encode(.number(4071)) == hex("00 40 AF CE 00 00 00 00 00"))
        #expect(try AMF0Encoder.encode(.boolean(false)) == hex("01 00"))
        #expect(try AMF0Encoder.encode(.boolean(true)) == hex("01 01"))
        #expect(try AMF0Encoder.encode(.string("app")) == hex("02 00 03 61 70 70"))
        #expect(try AMF0Encoder.encode(.null) == hex("05"))
        #expect(try AMF0Encoder.encode(.undefined) == hex("06"))
        #expect(try AMF0Encoder.encode(.reference(0x0102)) == hex("07 01 02"))
        #expect(try AMF0Encoder.encode(.date(millisecondsSince1970: 0, timeZone: -60))
            == hex("0B 00 00 00 00 00 00 00 00 FF C4"))
        #expect(try AMF0Encoder.encode(.longString("ab")) == hex("0C 00 00 00 02 61 62"))
        #expect(try AMF0Encoder.encode(.switchToAMF3) == hex("11"))
    }

    @Test func goldenContainers() throws {
        let object: AMF0Value = .object(["app": .string("live"), "fpad": .boolean(false)])
        #expect(try AMF0Encoder.encode(object)
            == hex("03 00 03 61 70 70 02 00 04 6C 69 76 65 00 04 66 70 61 64 01 00 00 00 09"))
        #expect(try AMF0Encoder.encode(.ecmaArray(["a": .null]))
            == hex("08 00 00 00 01 00 01 61 05 00 00 09"))
        #expect(try AMF0Encoder.encode(.strictArray([.number(0), .undefined]))
            == hex("0A 00 00 00 02 00 00 00 00 00 00 00 00 00 06"))
        #expect(try AMF0Encoder.encode(.object([:])) == hex("03 00 00 09"))
    }

    @Test func roundTripOfEveryMarker() throws {
        let values: [AMF0Value] = [
            .number(-0.5), .number(.infinity), .boolean(true), .string(""), .string("é✓"),
            .object(["k": .object(["nested": .strictArray([.null, .ecmaArray(["x": .number(3)])])])]),
            .null, .undefined, .reference(7), .ecmaArray([:]), .strictArray([]),
            .date(millisecondsSince1970: 1.7e12, timeZone: 120), .longString(String(repeating: "z", count: 70_000)),
            .object(AMF0Object([.init("dup", .number(1)), .init("dup", .number(2)), .init("", .null)])),
        ]
        let bytes = try AMF0Encoder.encode(values)
        #expect(try AMF0Decoder().decodeAll(bytes[...]) == values)
    }

    @Test func longStringsSwitchMarkerAutomatically() throws {
        let s = String(repeating: "a", count: 65_536)
        let bytes = try AMF0Encoder.encode(.string(s))
        #expect(Array(bytes.prefix(5)) == hex("0C 00 01 00 00"))
        #expect(try AMF0Decoder().decodeAll(bytes[...]) == [.longString(s)])
        let exact = String(repeating: "a", count: 65_535)
        #expect(try AMF0Encoder.encode(.string(exact)).prefix(3) == [0x02, 0xFF, 0xFF])
    }

    @Test func keyTooLongIsATypedEncodingError() {
        let key = String(repeating: "k", count: 65_536)
        #expect(throws: AMF0Error.keyTooLong(length: 65_536)) {
            try AMF0Encoder.encode(.object(AMF0Object([.init(key, .null)])))
        }
    }

    @Test func everyStrictPrefixIsTruncated() throws {
        let bytes = try AMF0Encoder.encode(
            .object(["a": .strictArray([.number(1), .date(millisecondsSince1970: 2, timeZone: 0)]),
                     "b": .ecmaArray(["c": .longString("xyz")]), "d": .reference(1)]))
        for length in 1..<bytes.count {
            #expect(throws: AMF0Error.self) { try AMF0Decoder().decodeAll(bytes[0..<length]) }
            do {
                _ = try AMF0Decoder().decodeAll(bytes[0..<length])
            } catch {
                guard case .truncated = error else {
                    Issue.record("prefix \(length): \(error)")
                    continue
                }
            }
        }
    }

    @Test func depthLimitAtNMinusOneAndN() throws {
        func nested(_ depth: Int) -> AMF0Value {
            var value: AMF0Value = .null
            for _ in 0..<depth { value = .object(["a": value]) }
            return value
        }
        let decoder = AMF0Decoder(maxDepth: 8)
        #expect(try decoder.decodeAll(try AMF0Encoder.encode(nested(8))[...]) == [nested(8)])
        #expect(throws: AMF0Error.depthLimitExceeded(limit: 8)) {
            try decoder.decodeAll(try AMF0Encoder.encode(nested(9))[...])
        }
        // Strict arrays count as nesting too.
        let arrays: AMF0Value = (0..<9).reduce(AMF0Value.null) { inner, _ in .strictArray([inner]) }
        #expect(throws: AMF0Error.depthLimitExceeded(limit: 8)) {
            try decoder.decodeAll(try AMF0Encoder.encode(arrays)[...])
        }
    }

    @Test func hostileDeepNestingDoesNotExhaustTheStack() {
        // 100 000 object markers with one-byte keys: the default depth limit stops it at 32.
        var bytes: [UInt8] = []
        for _ in 0..<100_000 { bytes += [0x03, 0x00, 0x01, 0x61] }
        #expect(throws: AMF0Error.depthLimitExceeded(limit: 32)) { try AMF0Decoder().decodeAll(bytes[...]) }
    }

    @Test func sizeLimitAtNAndNPlusOne() throws {
        let decoder = AMF0Decoder(maxInputSize: 9)
        #expect(try decoder.decodeAll(hex("00 3F F0 00 00 00 00 00 00")[...]) == [.number(1)])
        #expect(throws: AMF0Error.inputTooLarge(size: 10, limit: 9)) {
            try decoder.decodeAll(hex("00 3F F0 00 00 00 00 00 00 05")[...])
        }
    }

    @Test func lyingCountsFailWithoutAllocating() {
        #expect(throws: AMF0Error.truncated(offset: 0)) { try AMF0Decoder().decodeAll(hex("0A FF FF FF FF 05")[...]) }
        #expect(throws: AMF0Error.truncated(offset: 0)) { try AMF0Decoder().decodeAll(hex("0C FF FF FF FF 61")[...]) }
    }

    @Test func typedErrorsForBadMarkersAndText() {
        #expect(throws: AMF0Error.unknownMarker(0x04, offset: 0)) { try AMF0Decoder().decodeAll(hex("04")[...]) }
        #expect(throws: AMF0Error.unknownMarker(0x0D, offset: 1)) { try AMF0Decoder().decodeAll(hex("05 0D")[...]) }
        #expect(throws: AMF0Error.unexpectedObjectEnd(offset: 0)) { try AMF0Decoder().decodeAll(hex("09")[...]) }
        #expect(throws: AMF0Error.invalidUTF8(offset: 0)) { try AMF0Decoder().decodeAll(hex("02 00 02 C3 28")[...]) }
        #expect(throws: AMF0Error.amf3Unsupported(offset: 4)) {
            try AMF0Decoder().decodeAll(hex("03 00 01 61 11 00 00 09")[...])
        }
    }

    @Test func amf3SwitchAtTopLevelHandsBackTheRest() throws {
        let (values, rest) = try AMF0Decoder().decodeValues(hex("05 11 04 01")[...])
        #expect(values == [.null, .switchToAMF3])
        #expect(Array(rest) == [0x04, 0x01])
        #expect(throws: AMF0Error.amf3Unsupported(offset: 1)) { try AMF0Decoder().decodeAll(hex("05 11 04 01")[...]) }
    }

    @Test func randomAndMutatedInputGivesTypedErrorsOnly() throws {
        var random = WireTestRandom(seed: 0xA3F0)
        let valid = try AMF0Encoder.encode([
            .string("connect"), .number(1),
            .object(["app": .string("live"), "flashVer": .string("LNX 9,0,124,2"), "fpad": .boolean(false),
                     "list": .strictArray([.number(1), .ecmaArray(["x": .null])]),
                     "when": .date(millisecondsSince1970: 5, timeZone: 0)]),
        ])
        var decoded = 0
        var failed = 0
        for case_ in 0..<6000 {
            let input = case_ % 2 == 0 ? random.bytes(Int.random(in: 0...64, using: &random)) : random.mutate(valid)
            do {
                _ = try AMF0Decoder(maxDepth: 16, maxInputSize: 4096).decodeAll(input[...])
                decoded += 1
            } catch {
                failed += 1
            }
        }
        #expect(decoded + failed == 6000)
        #expect(failed > 0)
        #expect(decoded > 0)
    }
}
