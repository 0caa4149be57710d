import Testing
@testable import RTMP

/// The two SHA-256 block functions, the portable Swift one and the x86 SHA extensions, against the
/// published vectors and against each other. The tests of the extensions are enabled only on a CPU
/// that has them, so that on any other CPU they report as skipped instead of passing without running
/// (`SHA256(backend: .shaExtensions)` would quietly be the portable code there).
@Suite struct SHA256BackendTests {
    /// FIPS 180-2 appendix B (and the NIST examples): message, digest.
    static let shaVectors: [(String, String)] = [
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
    ]

    /// RFC 4231 test cases 1, 2, 3, 4, 6, 7: key, data, HMAC-SHA256.
    static let hmacVectors: [([UInt8], [UInt8], String)] = [
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
    ]

    /// Lengths for the agreement test: every length up to 300 (all the padding cases, one to five
    /// blocks, every split of a block), the handshake's sizes, and a few multi-KB messages.
    static let agreementLengths: [Int] = Array(0...300) + [1023, 1024, 1025, 1504, 1536, 3072, 4096, 5000, 8191, 16_384]

    /// `message` hashed on `backend`, in one call or in random pieces drawn from `random`.
    static func digest(_ message: [UInt8], backend: SHA256Backend, splitWith random: inout WireTestRandom?) -> [UInt8] {
        var sha = SHA256(backend: backend)
        if random != nil {
            for piece in random!.split(message, maxPiece: 200) { sha.update(piece) }
        } else {
            sha.update(message)
        }
        return sha.finalize()
    }

    @Test(arguments: shaVectors)
    func portableVectors(message: String, expected: String) {
        let sha = SHA256(backend: .portable)
        #expect(sha.backend == .portable)
        #expect(CryptoTests.hex(SHA256.hash(Array(message.utf8), backend: .portable)) == expected)
    }

    // Runs only on a CPU with the SHA extensions; elsewhere it is reported as skipped.
    @Test(.enabled(if: SHA256Backend.shaExtensionsAvailable, "this CPU has no SHA extensions"), arguments: shaVectors)
    func shaExtensionsVectors(message: String, expected: String) {
        let sha = SHA256(backend: .shaExtensions)
        #expect(sha.backend == .shaExtensions)
        #expect(CryptoTests.hex(SHA256.hash(Array(message.utf8), backend: .shaExtensions)) == expected)
    }

    @Test(arguments: hmacVectors)
    func portableHMACVectors(key: [UInt8], message: [UInt8], expected: String) {
        #expect(CryptoTests.hex(HMACSHA256.authenticationCode(key: key, message: message, backend: .portable)) == expected)
    }

    // Runs only on a CPU with the SHA extensions; elsewhere it is reported as skipped.
    @Test(.enabled(if: SHA256Backend.shaExtensionsAvailable, "this CPU has no SHA extensions"), arguments: hmacVectors)
    func shaExtensionsHMACVectors(key: [UInt8], message: [UInt8], expected: String) {
        #expect(
            CryptoTests.hex(HMACSHA256.authenticationCode(key: key, message: message, backend: .shaExtensions)) == expected
        )
    }

    /// A million "a" (FIPS 180-2 B.3) in uneven pieces: 15,625 blocks, most of them compressed from
    /// the caller's bytes several at a time, some through the pending block.
    @Test(arguments: SHA256BackendTests.availableBackends)
    func millionAsFedInUnevenPieces(backend: SHA256Backend) {
        var sha = SHA256(backend: backend)
        #expect(sha.backend == backend)
        var fed = 0
        var piece = 1
        while fed < 1_000_000 {
            let count = min(piece, 1_000_000 - fed)
            sha.update(repeatElement(UInt8(ascii: "a"), count: count))
            fed += count
            piece = piece % 700 + 61
        }
        #expect(CryptoTests.hex(sha.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The backends this CPU can run: the portable one always, the extensions where they exist.
    static var availableBackends: [SHA256Backend] {
        SHA256Backend.shaExtensionsAvailable ? [.portable, .shaExtensions] : [.portable]
    }

    // Runs only on a CPU with the SHA extensions; elsewhere it is reported as skipped.
    @Test(.enabled(if: SHA256Backend.shaExtensionsAvailable, "this CPU has no SHA extensions"))
    func backendsAgreeOnSeededInputsWholeAndSplit() {
        var random = WireTestRandom(seed: 0x5A256)
        for length in Self.agreementLengths {
            let message = random.bytes(length)
            var whole: WireTestRandom? = nil
            let portable = Self.digest(message, backend: .portable, splitWith: &whole)
            let accelerated = Self.digest(message, backend: .shaExtensions, splitWith: &whole)
            var splitter: WireTestRandom? = WireTestRandom(seed: UInt64(length) &+ 1)
            let portableSplit = Self.digest(message, backend: .portable, splitWith: &splitter)
            let acceleratedSplit = Self.digest(message, backend: .shaExtensions, splitWith: &splitter)
            #expect(accelerated == portable, "length \(length), one call")
            #expect(acceleratedSplit == portable, "length \(length), random pieces")
            #expect(portableSplit == portable, "length \(length), portable in random pieces")
        }
    }

    /// The HMAC over the parts the handshake signs (a packet with its digest left out), both backends.
    @Test(.enabled(if: SHA256Backend.shaExtensionsAvailable, "this CPU has no SHA extensions"))
    func backendsAgreeOnHandshakeDigests() {
        var random = WireTestRandom(seed: 1536)
        for key in Self.handshakeKeys {
            let packet = random.bytes(HandshakeDigest.packetSize)
            let offset = Int.random(in: 12..<(12 + 728), using: &random)
            let parts = [packet[0..<offset], packet[(offset + 32)...]]
            #expect(
                HMACSHA256.authenticationCode(key: key, messageParts: parts, backend: .shaExtensions)
                    == HMACSHA256.authenticationCode(key: key, messageParts: parts, backend: .portable)
            )
        }
    }

    /// The handshake's four fixed keys as bytes.
    static let handshakeKeys: [[UInt8]] = [
        HandshakeDigest.playerKeyPartial.bytes, HandshakeDigest.serverKeyPartial.bytes,
        HandshakeDigest.playerKeyFull.bytes, HandshakeDigest.serverKeyFull.bytes,
    ]

    /// RFC 2104's definition spelled out with one-shot hashes, no prepared state: the reference the
    /// prepared keys (`HMACKey`, the four handshake keys) are checked against.
    static func referenceHMAC(key: [UInt8], message: [UInt8], backend: SHA256Backend) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key, backend: backend) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = SHA256.hash(block.map { $0 ^ 0x36 } + message, backend: backend)
        return SHA256.hash(block.map { $0 ^ 0x5c } + inner, backend: backend)
    }

    /// A prepared key gives RFC 2104's HMAC for many messages in a row (its state is reused, never
    /// consumed), for the handshake's keys and for short and over-long keys, on each backend.
    @Test(arguments: SHA256BackendTests.availableBackends)
    func preparedKeysMatchTheDefinition(backend: SHA256Backend) {
        var random = WireTestRandom(seed: 2104)
        let keys = Self.handshakeKeys + [random.bytes(20), random.bytes(64), random.bytes(65), random.bytes(131)]
        for key in keys {
            let prepared = HMACKey(key, backend: backend)
            for length in [0, 1, 32, 55, 56, 63, 64, 65, 119, 120, 1504] {
                let message = random.bytes(length)
                let expected = Self.referenceHMAC(key: key, message: message, backend: backend)
                #expect(prepared.authenticationCode(message: message, backend: backend) == expected, "key \(key.count), length \(length)")
                let cut = length / 3
                #expect(
                    prepared.authenticationCode(messageParts: [message[0..<cut], message[cut...]], backend: backend) == expected,
                    "key \(key.count), length \(length), in two parts"
                )
            }
        }
        #expect(
            HandshakeDigest.responseKey(peerDigest: Array(repeating: 7, count: 32), fullKey: HandshakeDigest.serverKeyFull)
                == Self.referenceHMAC(key: HandshakeDigest.serverKeyFull.bytes, message: Array(repeating: 7, count: 32), backend: .portable)
        )
    }

    /// Asking for the extensions where the CPU has none gives the portable code, not a fault.
    @Test(.enabled(if: !SHA256Backend.shaExtensionsAvailable, "this CPU has the SHA extensions"))
    func extensionsRequestedWithoutThemFallBackToPortable() {
        let sha = SHA256(backend: .shaExtensions)
        #expect(sha.backend == .portable)
        #expect(CryptoTests.hex(SHA256.hash(Array("abc".utf8), backend: .shaExtensions))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The benchmark's switch: forced off, new hashers are portable; back on, they take what the CPU
    /// has. The only test that sets it (the digests do not depend on it, so tests running meanwhile
    /// are unaffected), and it leaves it off.
    @Test func portableForcedSwitchChoosesTheBackendOfNewHashers() {
        SHA256Backend.portableForced = true
        defer { SHA256Backend.portableForced = false }
        #expect(SHA256Backend.preferred == .portable)
        #expect(SHA256().backend == .portable)
        SHA256Backend.portableForced = false
        #expect(SHA256Backend.preferred == (SHA256Backend.shaExtensionsAvailable ? .shaExtensions : .portable))
        #expect(SHA256().backend == SHA256Backend.preferred)
    }
}
