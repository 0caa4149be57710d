/// The client side of the RTMP handshake: C0+C1 out, S0+S1+S2 in, C2 out.
///
/// A sans-I/O core: the session calls `start()` once and writes the bytes, then hands every read to
/// `received(_:)` until it gets `.completed` or `.failed`. The handshake does not decide whether an
/// unverified server is acceptable — ffmpeg only insists when playing, librtmp only in FP9 mode — so it
/// reports `serverDigestVerified` and lets the session apply its own rule.
///
/// ```swift
/// var handshake = RTMPHandshakeClient(mode: .digest, seed: 42)
/// write(handshake.start())                      // C0 + C1, 1537 bytes
/// switch handshake.received(bytesFromServer[...]) {
/// case .wait: break                         // keep reading
/// case .completed(let c2, let verified, let leftover):
///     write(c2)                                 // then the chunk stream starts; feed it `leftover`
/// case .failed(let error): close(error)
/// }
/// ```
///
/// - `plain` sends C1 with version bytes zero and answers with C2 = S1, as the RTMP specification does.
/// - `digest` signs C1 with the Flash Player key under `digestScheme`; if S1 carries a valid FMS digest
///   (either scheme), C2 is signed with the key derived from it, otherwise C2 = S1 (a plain server).
///   `serverDigestVerified` is true only when S1's digest *and* S2's signature over our C1 digest both
///   check out, which is what ffmpeg's validating path and librtmp's FP9 mode demand.
public struct RTMPHandshakeClient: Sendable {
    /// What the session does after a read.
    public enum Action: Sendable {
        /// S0+S1+S2 are not all in yet.
        case wait
        /// The handshake is done: write `c2`; `leftover` is whatever followed S2 in the same read
        /// (already chunk-stream bytes).
        case completed(c2: [UInt8], serverDigestVerified: Bool, leftover: [UInt8])
        /// The server's bytes cannot be an RTMP handshake; close the connection.
        case failed(RTMPHandshakeError)
    }

    /// The version bytes ffmpeg's client puts in a digest C1 (Flash Player 9.0.124.2).
    static let digestClientVersion: [UInt8] = [0x09, 0x00, 0x7C, 0x02]
    /// S0 + S1 + S2.
    static let serverReplySize = 1 + 2 * HandshakeDigest.packetSize

    private enum State: Sendable {
        /// `start()` has not been called.
        case idle
        /// C0+C1 are sent; `buffer` collects S0+S1+S2 (never more than 3073 bytes).
        case awaitingServer(c1: [UInt8], c1Digest: [UInt8]?, buffer: [UInt8])
        /// Completed or failed; later reads are a caller error.
        case finished
    }

    private let mode: HandshakeMode
    private let epoch: UInt32
    private let digestScheme: HandshakeDigestScheme
    private var random: SplitMix64
    private var state: State = .idle

    /// - Parameters:
    ///   - mode: plain or Flash Player 9 digest C1.
    ///   - seed: expands into every random byte of C1 and C2, so the same seed gives the same bytes.
    ///   - epoch: the time field of C1 (milliseconds, wraps); peers echo it and otherwise ignore it.
    ///   - digestScheme: where the C1 digest goes in `digest` mode (ffmpeg uses scheme 0).
    public init(
        mode: HandshakeMode, seed: UInt64, epoch: UInt32 = 0, digestScheme: HandshakeDigestScheme = .scheme0
    ) {
        self.mode = mode
        self.epoch = epoch
        self.digestScheme = digestScheme
        self.random = SplitMix64(seed: seed)
    }

    /// C0 + C1 (1537 bytes), once: C1 is sent once, and a second call is a runtime bug that traps.
    public mutating func start() -> [UInt8] {
        switch state {
        case .idle:
            var c1: [UInt8]
            var c1Digest: [UInt8]?
            switch mode {
            case .plain:
                c1 = HandshakeDigest.challenge(epoch: epoch, version: [0, 0, 0, 0], random: &random)
                c1Digest = nil
            case .digest:
                c1 = HandshakeDigest.challenge(epoch: epoch, version: Self.digestClientVersion, random: &random)
                c1Digest = HandshakeDigest.sign(&c1, scheme: digestScheme, key: HandshakeDigest.playerKeyPartial)
            }
            state = .awaitingServer(c1: c1, c1Digest: c1Digest, buffer: [])
            return [0x03] + c1
        case .awaitingServer, .finished:
            preconditionFailure("RTMPHandshakeClient.start() after C0+C1 were sent")
        }
    }

    /// Feeds bytes read from the server; any split is fine.
    public mutating func received(_ bytes: ArraySlice<UInt8>) -> Action {
        switch state {
        case .idle:
            state = .finished
            return .failed(.receivedBeforeStart)
        case .finished:
            return .failed(.alreadyFinished)
        case .awaitingServer(let c1, let c1Digest, var buffer):
            let take = min(Self.serverReplySize - buffer.count, bytes.count)
            buffer += bytes.prefix(take)
            if let s0 = buffer.first, let error = RTMPHandshakeServer.versionError(s0) {
                state = .finished
                return .failed(error)
            }
            guard buffer.count == Self.serverReplySize else {
                state = .awaitingServer(c1: c1, c1Digest: c1Digest, buffer: buffer)
                return .wait
            }
            state = .finished
            let s1 = Array(buffer[1...HandshakeDigest.packetSize])
            let s2 = Array(buffer[(1 + HandshakeDigest.packetSize)...])
            let (c2, verified) = answer(s1: s1, s2: s2, c1Digest: c1Digest)
            return .completed(c2: c2, serverDigestVerified: verified, leftover: Array(bytes.dropFirst(take)))
        }
    }

    /// Builds C2 and judges the server, as described in the type's documentation.
    private mutating func answer(s1: [UInt8], s2: [UInt8], c1Digest: [UInt8]?) -> (c2: [UInt8], verified: Bool) {
        guard let c1Digest, !HandshakeDigest.isPlain(s1),
            let found = HandshakeDigest.find(in: s1, key: HandshakeDigest.serverKeyPartial)
        else {
            return (s1, false)
        }
        let s2Key = HandshakeDigest.responseKey(peerDigest: c1Digest, fullKey: HandshakeDigest.serverKeyFull)
        let s2Verified = HandshakeDigest.verifyResponse(s2, responseKey: s2Key)
        var c2 = random.bytes(HandshakeDigest.packetSize)
        let c2Key = HandshakeDigest.responseKey(peerDigest: found.digest, fullKey: HandshakeDigest.playerKeyFull)
        HandshakeDigest.signResponse(&c2, responseKey: c2Key)
        return (c2, s2Verified)
    }
}
