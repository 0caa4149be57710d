/// The Flash Player 9 digest arithmetic shared by both handshake ends.
///
/// Keys and offsets are those of FMS, as implemented by ffmpeg (rtmpproto.c), librtmp (handshake.h)
/// and nginx-rtmp (ngx_rtmp_handshake.c): a C1/S1 is signed in place, a C2/S2 is signed over its first
/// 1504 bytes with a key derived from the peer's C1/S1 digest, so it proves the answer was made for
/// *this* challenge.
enum HandshakeDigest {
    /// Size of C1, C2, S1, S2.
    static let packetSize = 1536
    /// Size of a digest (SHA-256).
    static let digestSize = 32

    /// The 32 bytes shared by both full keys.
    private static let keySuffix: [UInt8] = [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ]
    // The four keys are prepared once per process (`HMACKey`): each run's handshake signs with them
    // eight to ten times.
    /// "Genuine Adobe Flash Player 001" (30 bytes): signs C1.
    static let playerKeyPartial = HMACKey(Array("Genuine Adobe Flash Player 001".utf8))
    /// The 62-byte player key: derives the C2 signing key from the S1 digest.
    static let playerKeyFull = HMACKey(playerKeyPartial.bytes + keySuffix)
    /// "Genuine Adobe Flash Media Server 001" (36 bytes): signs S1.
    static let serverKeyPartial = HMACKey(Array("Genuine Adobe Flash Media Server 001".utf8))
    /// The 68-byte server key: derives the S2 signing key from the C1 digest.
    static let serverKeyFull = HMACKey(serverKeyPartial.bytes + keySuffix)

    /// Where the digest of `packet` (1536 bytes) lies under `scheme`; always inside the packet.
    static func offset(of packet: [UInt8], scheme: HandshakeDigestScheme) -> Int {
        let base: Int
        switch scheme {
        case .scheme0: base = 8
        case .scheme1: base = 772
        }
        let sum = Int(packet[base]) + Int(packet[base + 1]) + Int(packet[base + 2]) + Int(packet[base + 3])
        return sum % 728 + base + 4
    }

    /// HMAC of the packet with the 32 bytes at `offset` left out.
    static func digest(of packet: [UInt8], at offset: Int, key: HMACKey) -> [UInt8] {
        key.authenticationCode(messageParts: [packet[0..<offset], packet[(offset + digestSize)..<packetSize]])
    }

    /// Writes the digest into `packet` under `scheme` and returns it.
    @discardableResult
    static func sign(_ packet: inout [UInt8], scheme: HandshakeDigestScheme, key: HMACKey) -> [UInt8] {
        let at = offset(of: packet, scheme: scheme)
        let value = digest(of: packet, at: at, key: key)
        packet.replaceSubrange(at..<(at + digestSize), with: value)
        return value
    }

    /// Looks for a valid digest, scheme 1 first then scheme 0 (the order ffmpeg and nginx-rtmp use);
    /// returns the digest bytes and the scheme they were found under.
    static func find(in packet: [UInt8], key: HMACKey) -> (digest: [UInt8], scheme: HandshakeDigestScheme)? {
        for scheme in [HandshakeDigestScheme.scheme1, .scheme0] {
            let at = offset(of: packet, scheme: scheme)
            let expected = digest(of: packet, at: at, key: key)
            if constantTimeEqual(expected, packet[at..<(at + digestSize)]) {
                return (expected, scheme)
            }
        }
        return nil
    }

    /// The key that signs a C2/S2: HMAC(full key, the peer's challenge digest).
    static func responseKey(peerDigest: [UInt8], fullKey: HMACKey) -> [UInt8] {
        fullKey.authenticationCode(message: peerDigest)
    }

    /// Signs a C2/S2 in place: its last 32 bytes become HMAC(responseKey, first 1504 bytes).
    static func signResponse(_ packet: inout [UInt8], responseKey: [UInt8]) {
        let signature = HMACSHA256.authenticationCode(
            key: responseKey, message: packet[0..<(packetSize - digestSize)]
        )
        packet.replaceSubrange((packetSize - digestSize)..<packetSize, with: signature)
    }

    /// Whether a C2/S2 carries the signature `signResponse` would have written.
    static func verifyResponse(_ packet: [UInt8], responseKey: [UInt8]) -> Bool {
        let signature = HMACSHA256.authenticationCode(
            key: responseKey, message: packet[0..<(packetSize - digestSize)]
        )
        return constantTimeEqual(signature, packet[(packetSize - digestSize)..<packetSize])
    }

    /// Byte comparison whose time does not depend on where the first difference is.
    static func constantTimeEqual(_ a: [UInt8], _ b: ArraySlice<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// A fresh 1536-byte C1/S1: time (BE), 4 version bytes, then seeded random bytes.
    static func challenge(epoch: UInt32, version: [UInt8], random: inout SplitMix64) -> [UInt8] {
        var packet: [UInt8] = [
            UInt8(truncatingIfNeeded: epoch >> 24), UInt8(truncatingIfNeeded: epoch >> 16),
            UInt8(truncatingIfNeeded: epoch >> 8), UInt8(truncatingIfNeeded: epoch),
        ]
        packet += version
        packet += random.bytes(packetSize - 8)
        return packet
    }

    /// Whether bytes 4–7 of a C1/S1 are zero, the mark of a plain (pre-FP9) peer.
    static func isPlain(_ packet: [UInt8]) -> Bool {
        packet[4] == 0 && packet[5] == 0 && packet[6] == 0 && packet[7] == 0
    }
}
