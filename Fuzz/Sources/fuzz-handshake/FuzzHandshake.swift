import FuzzSupport
import RTMP

/// One libFuzzer run (main.swift hands it to the driver): the input drives either side of the
/// handshake, behind one byte of options.
///
/// Option byte: bits 0–1 the scenario (0: the input is what a client sends to our server; 1: what a
/// server sends to our client; 2 and 3: a genuine client/server exchange with the input XORed over
/// it), bit 2 the client's digest mode, bits 4–7 the seed of the read split.
///
/// Why these checks: the handshake's outcome depends only on byte counts and the version byte, so
/// they are checked exactly — whatever the split, a C0/S0 other than 3 fails at once, 1537 bytes
/// get the 3073-byte reply, 3073 bytes complete and everything after them is handed back untouched.
/// The genuine exchange puts the digest parsers (offsets computed from the peer's bytes) on inputs
/// that are nearly valid, where random bytes rarely go, and an unmutated exchange must verify.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHandshake(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let options = input.first else { return 0 }
    let rest = Array(input.dropFirst())
    let digest = options & 0x04 != 0
    let pieces = ReadSplit.sizes(total: rest.count, seed: options >> 4, largeReads: true)
    switch options & 0x03 {
    case 0:
        checkServer(rest, pieces: pieces)
    case 1:
        checkClient(rest, pieces: pieces, digest: digest)
    default:
        checkExchange(mask: rest, digest: digest)
    }
    return 0
}

func checkServer(_ bytes: [UInt8], pieces: [Int]) {
    let whole = ServerHandshakeRun(bytes, pieces: bytes.isEmpty ? [] : [bytes.count])
    let split = ServerHandshakeRun(bytes, pieces: pieces)
    guard whole == split else { fatalError("the server's result depends on the read split \(pieces)") }
    // Whatever arrived after C2 in the same read is handed back; with a split, the rest of the input.
    let expected = ExpectedEnd.of(bytes, exchangeSize: 1537 + 1536)
    switch expected {
    case .failed(let version):
        guard whole.failure == .unsupportedVersion(version) || whole.failure == .encryptionNotSupported(version: version),
            whole.reply.isEmpty
        else { fatalError("C0 \(version) did not fail the server: \(String(describing: whole.failure))") }
    case .incomplete:
        guard whole.failure == nil, whole.completed == nil,
            whole.reply.count == (bytes.count >= 1537 ? 3073 : 0)
        else { fatalError("\(bytes.count) bytes gave a reply of \(whole.reply.count) bytes") }
    case .completed(let leftover):
        guard let completed = whole.completed, whole.reply.count == 3073, whole.reply.first == 0x03,
            completed.leftover == leftover
        else { fatalError("\(bytes.count) bytes did not complete the server handshake as expected") }
        if let splitLeftover = split.completed?.leftover, splitLeftover != Array(bytes[3073..<split.fed])
        {
            fatalError("the split server lost or invented bytes after C2")
        }
        // Same seed, same C1: the same reply bytes (determinism).
        guard ServerHandshakeRun(bytes, pieces: [bytes.count]).reply == whole.reply else {
            fatalError("the server's reply is not determined by its seed")
        }
    }
}

func checkClient(_ bytes: [UInt8], pieces: [Int], digest: Bool) {
    let whole = ClientHandshakeRun(bytes, pieces: bytes.isEmpty ? [] : [bytes.count], digest: digest)
    let split = ClientHandshakeRun(bytes, pieces: pieces, digest: digest)
    guard whole.c0c1.count == 1537, whole.c0c1.first == 0x03, whole.c0c1 == split.c0c1 else {
        fatalError("C0+C1 is not 1537 bytes determined by the seed")
    }
    guard whole.failure == split.failure, whole.completed?.c2 == split.completed?.c2,
        whole.completed?.verified == split.completed?.verified
    else { fatalError("the client's result depends on the read split \(pieces)") }
    switch ExpectedEnd.of(bytes, exchangeSize: 3073) {
    case .failed(let version):
        guard whole.failure == .unsupportedVersion(version) || whole.failure == .encryptionNotSupported(version: version)
        else { fatalError("S0 \(version) did not fail the client") }
    case .incomplete:
        guard whole.failure == nil, whole.completed == nil else { fatalError("the client finished early") }
    case .completed(let leftover):
        guard let completed = whole.completed, completed.c2.count == 1536, completed.leftover == leftover else {
            fatalError("\(bytes.count) bytes did not complete the client handshake as expected")
        }
        if !digest {
            // A plain client echoes S1 and never claims a verified server.
            guard completed.c2 == Array(bytes[1...1536]), !completed.verified else {
                fatalError("a plain client's C2 is not S1")
            }
        }
        if let splitLeftover = split.completed?.leftover, splitLeftover != Array(bytes[3073..<split.fed]) {
            fatalError("the split client lost or invented bytes after S2")
        }
    }
}

/// A real client and a real server, with `mask` XORed over C0+C1+C2 and then over S0+S1+S2.
func checkExchange(mask: [UInt8], digest: Bool) {
    func xor(_ bytes: [UInt8], _ from: Int) -> [UInt8] {
        bytes.enumerated().map { i, b in from + i < mask.count ? b ^ mask[from + i] : b }
    }
    var client = RTMPHandshakeClient(mode: digest ? .digest : .plain, seed: 3)
    var server = RTMPHandshakeServer(seed: 5)
    let c0c1 = xor(client.start(), 0)
    guard case .reply(let reply) = server.received(c0c1[...]) else {
        guard c0c1[0] != 0x03 else { fatalError("the server did not answer a 1537-byte C0+C1") }
        return
    }
    let s0s1s2 = xor(reply, 1537)
    switch client.received(s0s1s2[...]) {
    case .wait:
        fatalError("3073 bytes of S0+S1+S2 left the client waiting")
    case .failed:
        guard s0s1s2[0] != 0x03 else { fatalError("the client failed a 3073-byte reply with S0 = 3") }
    case .completed(let c2, let verified, let leftover):
        guard leftover.isEmpty, c2.count == 1536 else { fatalError("C2 or the leftover is wrong") }
        let untouched = mask.prefix(1537 + 3073).allSatisfy { $0 == 0 }
        if untouched && digest != verified {
            fatalError("an unmutated \(digest ? "digest" : "plain") exchange gave verified = \(verified)")
        }
        switch server.received(c2[...]) {
        case .completed(let leftover, let usedDigest):
            guard leftover.isEmpty else { fatalError("the server invented bytes after C2") }
            if untouched && usedDigest != digest { fatalError("the server misjudged the client's digest") }
        case .wait, .reply, .replyAndCompleted, .failed:
            fatalError("a 1536-byte C2 did not complete the server")
        }
    }
}
