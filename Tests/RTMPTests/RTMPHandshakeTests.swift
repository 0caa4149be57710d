import Testing
@testable import RTMP

/// Our client against our server in every dialect, then split reads, tampering, bad versions and a
/// seeded fuzz of both ends.
@Suite struct RTMPHandshakeTests {
    /// What one full exchange produced, for assertions.
    struct Exchange {
        var c0c1: [UInt8]
        var s0s1s2: [UInt8]
        var c2: [UInt8]
        var serverDigestVerified: Bool
        var clientUsedDigest: Bool
        var clientLeftover: [UInt8]
        var serverLeftover: [UInt8]
    }

    enum ExchangeFailure: Error { case unexpected(String) }

    /// Runs client ↔ server with whole reads; `tamper` may change S0+S1+S2 in flight.
    static func exchange(
        client: RTMPHandshakeClient, server: RTMPHandshakeServer,
        tamper: (inout [UInt8]) -> Void = { _ in },
        afterS2: [UInt8] = [], afterC2: [UInt8] = []
    ) throws -> Exchange {
        var client = client
        var server = server
        let c0c1 = client.start()
        guard case .reply(var reply) = server.received(c0c1[...]) else {
            throw ExchangeFailure.unexpected("server did not reply to C0+C1")
        }
        tamper(&reply)
        guard case .completed(let c2, let verified, let clientLeftover) = client.received((reply + afterS2)[...])
        else { throw ExchangeFailure.unexpected("client did not complete") }
        guard case .completed(let serverLeftover, let usedDigest) = server.received((c2 + afterC2)[...]) else {
            throw ExchangeFailure.unexpected("server did not complete on C2")
        }
        return Exchange(
            c0c1: c0c1, s0s1s2: reply, c2: c2, serverDigestVerified: verified, clientUsedDigest: usedDigest,
            clientLeftover: clientLeftover, serverLeftover: serverLeftover
        )
    }

    @Test func plainClientGetsThePlainEcho() throws {
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .plain, seed: 1, epoch: 0x0102_0304),
            server: RTMPHandshakeServer(seed: 2, epoch: 99)
        )
        #expect(result.c0c1.count == 1537)
        #expect(result.c0c1[0] == 0x03)
        #expect(Array(result.c0c1[1...8]) == [1, 2, 3, 4, 0, 0, 0, 0])
        #expect(result.s0s1s2.count == 3073)
        #expect(result.s0s1s2[0] == 0x03)
        #expect(Array(result.s0s1s2[1...8]) == [0, 0, 0, 99, 0, 0, 0, 0])
        #expect(Array(result.s0s1s2[1537...]) == Array(result.c0c1[1...]), "S2 echoes C1")
        #expect(result.c2 == Array(result.s0s1s2[1...1536]), "C2 echoes S1")
        #expect(result.serverDigestVerified == false)
        #expect(result.clientUsedDigest == false)
        #expect(result.clientLeftover.isEmpty && result.serverLeftover.isEmpty)
    }

    @Test(arguments: HandshakeDigestScheme.allCases, [nil, .scheme0, .scheme1] as [HandshakeDigestScheme?])
    func digestClientAndServerVerifyEachOther(clientScheme: HandshakeDigestScheme, serverScheme: HandshakeDigestScheme?)
        throws
    {
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .digest, seed: 11, digestScheme: clientScheme),
            server: RTMPHandshakeServer(seed: 12, digestScheme: serverScheme)
        )
        #expect(result.serverDigestVerified)
        #expect(result.clientUsedDigest)
        let c1 = Array(result.c0c1[1...])
        #expect(Array(c1[4..<8]) == RTMPHandshakeClient.digestClientVersion)
        let c1Found = try #require(HandshakeDigest.find(in: c1, key: HandshakeDigest.playerKeyPartial))
        #expect(c1Found.scheme == clientScheme)
        let s1 = Array(result.s0s1s2[1...1536])
        #expect(s1[4] >= 3, "ffmpeg validates only when S1 byte 4 >= 3")
        let s1Found = try #require(HandshakeDigest.find(in: s1, key: HandshakeDigest.serverKeyPartial))
        #expect(s1Found.scheme == (serverScheme ?? clientScheme))
        // C2 is signed with HMAC(FP 62-byte key, S1 digest): what FMS checks.
        let c2Key = HandshakeDigest.responseKey(peerDigest: s1Found.digest, fullKey: HandshakeDigest.playerKeyFull)
        #expect(HandshakeDigest.verifyResponse(result.c2, responseKey: c2Key))
        // The player key must not validate S1, nor the server key C1: the key sets are distinct.
        #expect(HandshakeDigest.find(in: s1, key: HandshakeDigest.playerKeyPartial) == nil)
        #expect(HandshakeDigest.find(in: c1, key: HandshakeDigest.serverKeyPartial) == nil)
    }

    @Test func digestClientAgainstAPlainServerFallsBackToTheEcho() throws {
        // A pre-FP9 server: S1 with zero version bytes and S2 = C1.
        var client = RTMPHandshakeClient(mode: .digest, seed: 3)
        let c0c1 = client.start()
        var s1 = [UInt8](repeating: 0x5A, count: 1536)
        s1[4] = 0; s1[5] = 0; s1[6] = 0; s1[7] = 0
        let reply = [0x03] + s1 + Array(c0c1[1...])
        guard case .completed(let c2, let verified, _) = client.received(reply[...]) else {
            Issue.record("client did not complete")
            return
        }
        #expect(c2 == s1)
        #expect(verified == false)
    }

    @Test func tamperedS2IsNotVerified() throws {
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .digest, seed: 5),
            server: RTMPHandshakeServer(seed: 6),
            tamper: { $0[1537 + 700] ^= 0x01 }
        )
        #expect(result.serverDigestVerified == false)
    }

    @Test func tamperedS2SignatureIsNotVerified() throws {
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .digest, seed: 5),
            server: RTMPHandshakeServer(seed: 6),
            tamper: { $0[3072] ^= 0x80 }
        )
        #expect(result.serverDigestVerified == false)
    }

    @Test(arguments: HandshakeDigestScheme.allCases)
    func tamperedS1DigestIsNotVerifiedAndC2EchoesS1(scheme: HandshakeDigestScheme) throws {
        var digestStart = 0
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .digest, seed: 7),
            server: RTMPHandshakeServer(seed: 8, digestScheme: scheme),
            tamper: { reply in
                let s1 = Array(reply[1...1536])
                digestStart = HandshakeDigest.offset(of: s1, scheme: scheme)
                reply[1 + digestStart + 5] ^= 0xFF
            }
        )
        #expect(digestStart > 0)
        #expect(result.serverDigestVerified == false)
        #expect(result.c2 == Array(result.s0s1s2[1...1536]))
    }

    @Test func tamperedC1DigestMakesTheServerAnswerPlain() {
        var client = RTMPHandshakeClient(mode: .digest, seed: 9)
        var c0c1 = client.start()
        let c1 = Array(c0c1[1...])
        let at = HandshakeDigest.offset(of: c1, scheme: .scheme0)
        c0c1[1 + at] ^= 0x01
        var server = RTMPHandshakeServer(seed: 10)
        guard case .reply(let reply) = server.received(c0c1[...]) else {
            Issue.record("no reply")
            return
        }
        #expect(Array(reply[5...8]) == [0, 0, 0, 0], "plain S1")
        #expect(Array(reply[1537...]) == Array(c0c1[1...]), "S2 = C1")
        guard case .completed(_, let usedDigest) = server.received([UInt8](repeating: 0, count: 1536)[...]) else {
            Issue.record("no completion")
            return
        }
        #expect(usedDigest == false)
    }

    @Test(arguments: [HandshakeMode.plain, .digest])
    func oneByteAtATimeGivesTheSameBytesAndTheLeftover(mode: HandshakeMode) throws {
        let whole = try Self.exchange(
            client: RTMPHandshakeClient(mode: mode, seed: 21), server: RTMPHandshakeServer(seed: 22)
        )
        var client = RTMPHandshakeClient(mode: mode, seed: 21)
        var server = RTMPHandshakeServer(seed: 22)
        let c0c1 = client.start()
        #expect(c0c1 == whole.c0c1)
        var reply: [UInt8]?
        for (index, byte) in c0c1.enumerated() {
            switch server.received([byte][...]) {
            case .wait: #expect(index < 1536, "wait until C1's last byte")
            case .reply(let bytes): #expect(index == 1536); reply = bytes
            case .replyAndCompleted, .completed, .failed: Issue.record("unexpected at \(index)")
            }
        }
        let s0s1s2 = try #require(reply)
        #expect(s0s1s2 == whole.s0s1s2)
        let chunkBytes: [UInt8] = [0x03, 0, 0, 0, 0, 0, 0x2A]
        var c2: [UInt8]?
        for (index, byte) in s0s1s2.enumerated() {
            switch client.received([byte][...]) {
            case .wait: #expect(index < 3072)
            case .completed(let bytes, let verified, let leftover):
                #expect(index == 3072)
                #expect(verified == (mode == .digest))
                #expect(leftover.isEmpty)
                c2 = bytes
            case .failed(let error): Issue.record("failed at \(index): \(error)")
            }
        }
        let c2Bytes = try #require(c2)
        #expect(c2Bytes == whole.c2)
        #expect(client.received([0][...]).isFailure(.alreadyFinished))
        // C2 split at N-1 / N, followed by chunk bytes in the same read.
        #expect(server.received(c2Bytes[0..<1535]).isNeedMore)
        guard case .completed(let leftover, let usedDigest) = server.received((c2Bytes[1535...] + chunkBytes)[...])
        else {
            Issue.record("no completion")
            return
        }
        #expect(leftover == chunkBytes)
        #expect(usedDigest == (mode == .digest))
        #expect(server.received([1][...]).isFailure(.alreadyFinished))
    }

    @Test func leftoverAfterS2IsHandedBack() throws {
        let after: [UInt8] = [0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0x10, 0]
        let result = try Self.exchange(
            client: RTMPHandshakeClient(mode: .digest, seed: 1), server: RTMPHandshakeServer(seed: 2),
            afterS2: after, afterC2: after + after
        )
        #expect(result.clientLeftover == after)
        #expect(result.serverLeftover == after + after)
    }

    @Test func c0c1c2InOneReadIsRepliedAndCompleted() throws {
        var client = RTMPHandshakeClient(mode: .digest, seed: 31)
        let c0c1 = client.start()
        let fakeC2 = [UInt8](repeating: 0x42, count: 1536)
        let connect: [UInt8] = [0x03, 0x00, 0x00]
        var server = RTMPHandshakeServer(seed: 32)
        // Exactly C0+C1+C2 → completed with no leftover; one byte short → reply, then completed.
        guard case .replyAndCompleted(let reply, let leftover, let usedDigest) =
            server.received((c0c1 + fakeC2 + connect)[...])
        else {
            Issue.record("expected replyAndCompleted")
            return
        }
        #expect(reply.count == 3073)
        #expect(leftover == connect)
        #expect(usedDigest)
        var shortServer = RTMPHandshakeServer(seed: 32)
        guard case .reply(let sameReply) = shortServer.received((c0c1 + fakeC2.dropLast())[...]) else {
            Issue.record("expected reply")
            return
        }
        #expect(sameReply == reply, "same seed, same bytes")
        guard case .completed(let rest, true) = shortServer.received(fakeC2.suffix(1)[...]) else {
            Issue.record("expected completion")
            return
        }
        #expect(rest.isEmpty)
    }

    @Test(arguments: [
        (UInt8(0x06), RTMPHandshakeError.encryptionNotSupported(version: 0x06)),
        (0x08, .encryptionNotSupported(version: 0x08)),
        (0x09, .encryptionNotSupported(version: 0x09)),
        (0x16, .unsupportedVersion(0x16)),
        (UInt8(ascii: "P"), .unsupportedVersion(0x50)),
        (0x00, .unsupportedVersion(0x00)),
    ])
    func wrongVersionByteFailsAtOnceOnBothEnds(byte: UInt8, error: RTMPHandshakeError) {
        var server = RTMPHandshakeServer(seed: 1)
        #expect(server.received([byte][...]).isFailure(error))
        #expect(server.received([0x03][...]).isFailure(.alreadyFinished))
        var client = RTMPHandshakeClient(mode: .plain, seed: 1)
        _ = client.start()
        #expect(client.received([byte, 1, 2][...]).isFailure(error))
    }

    @Test func clientRejectsBytesBeforeStartAndStartsOnce() {
        var client = RTMPHandshakeClient(mode: .plain, seed: 1)
        #expect(client.received([3][...]).isFailure(.receivedBeforeStart))
        var other = RTMPHandshakeClient(mode: .digest, seed: 1)
        #expect(other.start().count == 1537)
    }

    @Test func aSecondStartTraps() async {
        await #expect(processExitsWith: .failure) {
            var client = RTMPHandshakeClient(mode: .digest, seed: 1)
            _ = client.start()
            _ = client.start()
        }
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentBytes() {
        var a = RTMPHandshakeClient(mode: .digest, seed: 77)
        var b = RTMPHandshakeClient(mode: .digest, seed: 77)
        var c = RTMPHandshakeClient(mode: .digest, seed: 78)
        let first = a.start()
        #expect(first == b.start())
        #expect(first != c.start())
    }

    /// Random streams (with a valid or invalid first byte) split at random points: each end either
    /// needs more, completes with exactly the bytes beyond the handshake as leftover, or fails with a
    /// typed error — never traps, never buffers more than one handshake.
    @Test func seededFuzzOfBothEnds() {
        var random = SplitMix64(seed: 0xF022)
        for round in 0..<300 {
            let length = Int(random.next() % 7000)
            var stream = random.bytes(length)
            if length > 0, random.next() % 4 != 0 { stream[0] = 0x03 }
            var server = RTMPHandshakeServer(seed: UInt64(round))
            var client = RTMPHandshakeClient(mode: round % 2 == 0 ? .plain : .digest, seed: UInt64(round))
            _ = client.start()
            var serverFed = 0
            var clientFed = 0
            var serverDone = false
            var clientDone = false
            var offset = 0
            while offset < stream.count {
                let size = min(Int(random.next() % 1200) + 1, stream.count - offset)
                let piece = stream[offset..<(offset + size)]
                offset += size
                if !serverDone {
                    switch server.received(piece) {
                    case .wait: serverFed += size
                    case .reply(let reply):
                        #expect(reply.count == 3073)
                        serverFed += size
                    case .replyAndCompleted(_, let leftover, _):
                        #expect(serverFed + size - leftover.count == 1537 + 1536)
                        serverDone = true
                    case .completed(let leftover, _):
                        #expect(serverFed + size - leftover.count == 1537 + 1536)
                        serverDone = true
                    case .failed(let error):
                        #expect(stream[0] != 0x03)
                        #expect(error == RTMPHandshakeServer.versionError(stream[0]))
                        serverDone = true
                    }
                }
                if !clientDone {
                    switch client.received(piece) {
                    case .wait: clientFed += size
                    case .completed(let c2, _, let leftover):
                        #expect(c2.count == 1536)
                        #expect(clientFed + size - leftover.count == 3073)
                        clientDone = true
                    case .failed(let error):
                        #expect(stream[0] != 0x03)
                        #expect(error == RTMPHandshakeServer.versionError(stream[0]))
                        clientDone = true
                    }
                }
            }
            if stream.count >= 3073, stream[0] == 0x03 { #expect(serverDone && clientDone, "round \(round)") }
        }
    }
}

extension RTMPHandshakeServer.Action {
    var isNeedMore: Bool {
        if case .wait = self { return true }
        return false
    }

    func isFailure(_ expected: RTMPHandshakeError) -> Bool {
        if case .failed(let error) = self { return error == expected }
        return false
    }
}

extension RTMPHandshakeClient.Action {
    func isFailure(_ expected: RTMPHandshakeError) -> Bool {
        if case .failed(let error) = self { return error == expected }
        return false
    }
}
