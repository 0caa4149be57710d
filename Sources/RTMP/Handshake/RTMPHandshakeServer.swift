/// The server side of the RTMP handshake: C0+C1 in, S0+S1+S2 out, C2 in.
///
/// Like FMS and nginx-rtmp, it answers in the client's own dialect: a digest C1 (Flash Player key,
/// either offset scheme) gets a digest S1 and an S2 signed over the client's digest — which is what
/// ffmpeg's validating path checks when playing — and a plain C1 (version bytes zero, or no valid
/// digest) gets a plain S1 (version bytes zero) and S2 = C1. C2 is read but not validated, as
/// nginx-rtmp does: no real client would be helped by a server that refuses a sloppy C2.
///
/// ```swift
/// var handshake = RTMPHandshakeServer(seed: 7)
/// switch handshake.received(bytesFromClient[...]) {
/// case .wait: break
/// case .reply(let s0s1s2): write(s0s1s2)                 // then keep reading for C2
/// case .replyAndCompleted(let s0s1s2, let leftover, _): write(s0s1s2); startChunks(leftover)
/// case .completed(let leftover, _): startChunks(leftover)
/// case .failed(let error): close(error)
/// }
/// ```
public struct RTMPHandshakeServer: Sendable {
    /// What the session does after a read.
    public enum Action: Sendable {
        /// C0+C1 (or C2) are not all in yet.
        case wait
        /// Write S0+S1+S2 (3073 bytes); C2 is still to come.
        case reply([UInt8])
        /// C0, C1 and C2 arrived in one read: write the reply, the handshake is done, and `leftover`
        /// (the bytes after C2) already belongs to the chunk stream.
        case replyAndCompleted([UInt8], leftover: [UInt8], clientUsedDigest: Bool)
        /// C2 is in; `leftover` is whatever followed it (usually the first chunks of `connect`).
        case completed(leftover: [UInt8], clientUsedDigest: Bool)
        /// The client's bytes cannot be an RTMP handshake; close the connection.
        case failed(RTMPHandshakeError)
    }

    /// S1 version bytes of a digest answer. The first must be at least 3 for ffmpeg to validate (it
    /// takes smaller values for a pre-FP9 server); these are the bytes FMS 3.5 sends.
    static let digestServerVersion: [UInt8] = [0x03, 0x05, 0x01, 0x01]
    /// C0 + C1.
    static let challengeSize = 1 + HandshakeDigest.packetSize

    private enum State: Sendable {
        /// Collecting C0+C1 (never more than 1537 bytes).
        case awaitingChallenge(buffer: [UInt8])
        /// The reply went out; collecting C2 (never more than 1536 bytes).
        case awaitingC2(buffer: [UInt8], clientUsedDigest: Bool)
        /// Completed or failed; later reads are a caller error.
        case finished
    }

    private let epoch: UInt32
    private let digestScheme: HandshakeDigestScheme?
    private var random: SplitMix64
    private var state: State = .awaitingChallenge(buffer: [])

    /// - Parameters:
    ///   - seed: expands into every random byte of S1 and S2.
    ///   - epoch: the time field of S1.
    ///   - digestScheme: where the S1 digest goes; `nil` (the default) uses the scheme the client's
    ///     digest was found under, as SRS does. nginx-rtmp always uses scheme 0.
    public init(seed: UInt64, epoch: UInt32 = 0, digestScheme: HandshakeDigestScheme? = nil) {
        self.epoch = epoch
        self.digestScheme = digestScheme
        self.random = SplitMix64(seed: seed)
    }

    /// Feeds bytes read from the client; any split is fine.
    public mutating func received(_ bytes: ArraySlice<UInt8>) -> Action {
        switch state {
        case .finished:
            return .failed(.alreadyFinished)
        case .awaitingChallenge(var buffer):
            let take = min(Self.challengeSize - buffer.count, bytes.count)
            buffer += bytes.prefix(take)
            if let c0 = buffer.first, let error = Self.versionError(c0) {
                state = .finished
                return .failed(error)
            }
            guard buffer.count == Self.challengeSize else {
                state = .awaitingChallenge(buffer: buffer)
                return .wait
            }
            let (reply, usedDigest) = answer(c1: Array(buffer[1...]))
            let rest = bytes.dropFirst(take)
            if rest.count >= HandshakeDigest.packetSize {
                state = .finished
                return .replyAndCompleted(
                    reply, leftover: Array(rest.dropFirst(HandshakeDigest.packetSize)), clientUsedDigest: usedDigest
                )
            }
            state = .awaitingC2(buffer: Array(rest), clientUsedDigest: usedDigest)
            return .reply(reply)
        case .awaitingC2(var buffer, let usedDigest):
            let take = min(HandshakeDigest.packetSize - buffer.count, bytes.count)
            buffer += bytes.prefix(take)
            guard buffer.count == HandshakeDigest.packetSize else {
                state = .awaitingC2(buffer: buffer, clientUsedDigest: usedDigest)
                return .wait
            }
            state = .finished
            return .completed(leftover: Array(bytes.dropFirst(take)), clientUsedDigest: usedDigest)
        }
    }

    /// S0+S1+S2 for this C1, and whether the client used the digest scheme.
    private mutating func answer(c1: [UInt8]) -> (reply: [UInt8], clientUsedDigest: Bool) {
        guard !HandshakeDigest.isPlain(c1),
            let found = HandshakeDigest.find(in: c1, key: HandshakeDigest.playerKeyPartial)
        else {
            let s1 = HandshakeDigest.challenge(epoch: epoch, version: [0, 0, 0, 0], random: &random)
            return ([0x03] + s1 + c1, false)
        }
        var s1 = HandshakeDigest.challenge(epoch: epoch, version: Self.digestServerVersion, random: &random)
        HandshakeDigest.sign(&s1, scheme: digestScheme ?? found.scheme, key: HandshakeDigest.serverKeyPartial)
        var s2 = random.bytes(HandshakeDigest.packetSize)
        let s2Key = HandshakeDigest.responseKey(peerDigest: found.digest, fullKey: HandshakeDigest.serverKeyFull)
        HandshakeDigest.signResponse(&s2, responseKey: s2Key)
        return ([0x03] + s1 + s2, true)
    }

    /// The error for a C0/S0 byte other than 0x03, shared with the client.
    static func versionError(_ byte: UInt8) -> RTMPHandshakeError? {
        switch byte {
        case 0x03: return nil
        case 0x06, 0x08, 0x09: return .encryptionNotSupported(version: byte)
        default: return .unsupportedVersion(byte)
        }
    }
}
