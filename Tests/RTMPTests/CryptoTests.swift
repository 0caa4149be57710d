import Testing
@testable import RTMP

/// SHA-256 and HMAC on the default block function beyond what `SHA256BackendTests` checks on both
/// block functions (the published vectors, the million-"a" message): incremental against one-shot,
/// the truncated RFC 4231 case, HMAC over parts. The handshake is only as right as these primitives.
@Suite struct CryptoTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    /// Every length around the padding boundary (55, 56, 63, 64 bytes) in one call and byte by byte.
    @Test func sha256IncrementalMatchesOneShot() {
        for length in 0..<130 {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            var sha = SHA256()
            for byte in message { sha.update([byte]) }
            #expect(sha.finalize() == SHA256.hash(message), "length \(length)")
        }
    }

    @Test func hmacTruncatedVector() {
        let mac = HMACSHA256.authenticationCode(
            key: [UInt8](repeating: 0x0c, count: 20), message: Array("Test With Truncation".utf8)
        )
        #expect(Self.hex(Array(mac.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test func hmacOverPartsEqualsHmacOverTheJoinedMessage() {
        let message = (0..<1536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let key = HandshakeDigest.serverKeyFull.bytes
        #expect(
            HMACSHA256.authenticationCode(key: key, messageParts: [message[0..<100], message[132...]])
                == HMACSHA256.authenticationCode(key: key, message: Array(message[0..<100] + message[132...]))
        )
    }

    @Test func handshakeKeysHaveTheirDocumentedLengths() {
        #expect(HandshakeDigest.playerKeyPartial.bytes.count == 30)
        #expect(HandshakeDigest.playerKeyFull.bytes.count == 62)
        #expect(HandshakeDigest.serverKeyPartial.bytes.count == 36)
        #expect(HandshakeDigest.serverKeyFull.bytes.count == 68)
    }

    @Test func splitMixIsDeterministicAndSeedSensitive() {
        var a = SplitMix64(seed: 1)
        var b = SplitMix64(seed: 1)
        var c = SplitMix64(seed: 2)
        let first = a.bytes(37)
        #expect(first == b.bytes(37))
        #expect(first != c.bytes(37))
        #expect(first.count == 37)
        // The reference SplitMix64 output for seed 0 starts with 0xE220A8397B1DCDAF.
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    }

    /// `bytes(_:)` is the draws' bytes, little-endian, eight per draw, the last draw cut short: the
    /// handshake's challenge bytes depend on exactly this order.
    @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 1528])
    func splitMixBytesAreTheDrawsLittleEndian(count: Int) {
        var generator = SplitMix64(seed: 0x5EED)
        var reference = SplitMix64(seed: 0x5EED)
        var expected: [UInt8] = []
        while expected.count < count {
            let word = reference.next()
            for shift in stride(from: 0, to: 64, by: 8) where expected.count < count {
                expected.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        #expect(generator.bytes(count) == expected)
        // The next draw follows the last one used, even when its bytes were cut short.
        #expect(generator.next() == reference.next())
    }
}
