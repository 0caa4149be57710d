import Testing
@testable import RTMP

/// FIPS 180-2 (appendix B) and RFC 4231 vectors: the handshake is only as right as these primitives.
@Suite struct CryptoTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func sha256Vectors(message: String, expected: String) {
        #expect(Self.hex(SHA256.hash(Array(message.utf8))) == expected)
    }

    @Test func sha256MillionAsFedInUnevenPieces() {
        var sha = SHA256()
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            sha.update(repeatElement(UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece % 131 + 7
        }
        #expect(Self.hex(sha.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
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

    @Test(arguments: [
        // RFC 4231 test cases 1, 2, 3, 4, 6, 7 (5 is a truncation of the same function).
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        ([UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        ([UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xaa, count: 131),
         Array(("This is a test using a larger than block-size key and a larger than block-size data. "
             + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ] as [([UInt8], [UInt8], String)])
    func hmacVectors(key: [UInt8], message: [UInt8], expected: String) {
        #expect(Self.hex(HMACSHA256.authenticationCode(key: key, message: message)) == expected)
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
