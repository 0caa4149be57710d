import RunCore

/// RTMPS on the simulated wire: a TLS 1.3 full handshake's round trips and record sizes, without
/// the cryptography.
///
/// What the simulation needs from TLS is what the network sees: one extra round trip before the
/// first RTMP byte, flights of the size a real stack sends (bandwidth and loss act on them), a first
/// byte of 0x16 that port sniffers and proxies recognise as TLS, and application data framed in
/// records with AES-GCM's overhead. Record payloads are scrambled with a keystream derived from the
/// hellos' random values so a capture looks like TLS and the peer can unscramble them; this is not
/// encryption and claims no security.
///
/// Calibrated against the live server's TLS, BoringSSL at both ends through swift-nio-ssl, which is
/// what the live networks run (a loopback capture, docs/live-networks.md): TLS 1.3 with the hybrid
/// X25519MLKEM768 key share, AES-128-GCM, a self-signed P-256 certificate. Until issue 17 the model
/// was a TLS 1.2 handshake with a CA chain (two round trips, a 3.2 KB server flight), which no live
/// run could check and which the live server does not do.
/// - client: ClientHello, one record of 1,467 bytes (1,216 of them the ML-KEM key share; the
///   extensions not modelled one by one are one padding extension of their size).
/// - server: ServerHello (1,210: the 1,120-byte key share), a ChangeCipherSpec (middlebox
///   compatibility), then EncryptedExtensions, Certificate, CertificateVerify and Finished sealed in
///   one record of 622.
/// - client, on that flight: ChangeCipherSpec and Finished (sealed, 53) and, in the same round,
///   whatever application data waited: the first RTMP byte leaves one round trip after the hello.
/// - server, on the client's Finished: two NewSessionTickets sealed in one record of 381, then data.
/// Application data: 0x17 records of at most 16,384 bytes, each 22 bytes longer than its content
/// (the 5-byte header, the inner content type, the 16-byte tag).
package struct TLSModel: Sendable {
    package enum Role: Sendable { case client, server }

    /// What one input produced.
    package struct Output: Sendable, Equatable {
        /// Bytes to write to the TCP connection.
        package var send: [UInt8] = []
        /// Application bytes the peer sent, unscrambled.
        package var plaintext: [UInt8] = []
        /// The handshake completed with this input: application data may flow.
        package var established = false
    }

    package enum ModelError: Error, Sendable, Equatable {
        /// The peer's bytes are not TLS records (e.g. raw RTMP sent to an RTMPS port).
        case notTLS(firstByte: UInt8)
        /// A record arrived that the handshake does not expect at this point.
        case unexpectedRecord(contentType: UInt8)
        /// The peer sent an alert.
        case alert
    }

    private enum State: Sendable {
        case clientStart
        case clientAwaitingServerHello
        case clientAwaitingEncryptedFlight
        case serverAwaitingHello
        case serverAwaitingFinished
        case established
        case failed
    }

    static let handshake: UInt8 = 0x16
    static let changeCipherSpec: UInt8 = 0x14
    static let alert: UInt8 = 0x15
    static let applicationData: UInt8 = 0x17
    static let maximumRecordPayload = 16_384
    /// A sealed record's content is followed by its inner content type and the AEAD tag.
    static let sealOverhead = 1 + 16

    /// The measured sizes (record payloads, bytes) the flights are built to.
    enum Size {
        static let clientHello = 1_467
        static let serverHello = 1_210
        static let serverEncryptedFlight = 622
        static let clientFinished = 53
        static let sessionTickets = 381
    }

    private let role: Role
    private var state: State
    private var random: SimRandom
    private var buffer: [UInt8] = []
    private var ownRandom: [UInt8]
    private var peerRandom: [UInt8] = []
    private var sendKeystream = SimRandom(seed: 0)
    private var receiveKeystream = SimRandom(seed: 0)
    /// Application bytes written before the handshake completed.
    private var pendingPlaintext: [UInt8] = []

    package init(role: Role, seed: UInt64) {
        self.role = role
        self.state = role == .client ? .clientStart : .serverAwaitingHello
        var random = SimRandom(seed: seed)
        self.ownRandom = (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        self.random = random
    }

    package var isEstablished: Bool {
        switch state {
        case .established: true
        case .clientStart, .clientAwaitingServerHello, .clientAwaitingEncryptedFlight, .serverAwaitingHello,
             .serverAwaitingFinished, .failed: false
        }
    }

    /// The client's first flight (ClientHello). A server's `start` sends nothing.
    package mutating func start() -> [UInt8] {
        switch state {
        case .clientStart:
            state = .clientAwaitingServerHello
            // A 32-byte legacy session id, as BoringSSL sends for middlebox compatibility; TLS 1.3's
            // three AES suites.
            var body: [UInt8] = [0x03, 0x03] + ownRandom + [32] + randomBytes(32)
            body += Self.u16(6) + [0x13, 0x01, 0x13, 0x02, 0x13, 0x03] + [0x01, 0x00]
            // supported_versions (1.3 down to 1.0), supported_groups, the two key shares
            // (X25519MLKEM768, X25519), signature_algorithms.
            var extensions: [UInt8] = [0x00, 0x2B, 0x00, 0x09, 0x08, 0x03, 0x04, 0x03, 0x03, 0x03, 0x02, 0x03, 0x01]
            extensions += [0x00, 0x0A, 0x00, 0x08, 0x00, 0x06, 0x11, 0xEC, 0x00, 0x1D, 0x00, 0x17]
            let shares = [0x11, 0xEC] + Self.u16(1_216) + randomBytes(1_216) + [0x00, 0x1D] + Self.u16(32) + randomBytes(32)
            extensions += [0x00, 0x33] + Self.u16(shares.count + 2) + Self.u16(shares.count) + shares
            extensions += [0x00, 0x0D, 0x00, 0x0A, 0x00, 0x08, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03]
            // The rest (EMS, tickets, PSK modes, GREASE, …) as one padding extension (RFC 7685).
            let padding = Size.clientHello - 4 - body.count - 2 - extensions.count - 4
            extensions += [0x00, 0x15] + Self.u16(padding) + [UInt8](repeating: 0, count: padding)
            body += Self.u16(extensions.count) + extensions
            return Self.record(Self.handshake, version: [0x03, 0x01], Self.handshakeMessage(type: 1, body))
        case .clientAwaitingServerHello, .clientAwaitingEncryptedFlight, .serverAwaitingHello, .serverAwaitingFinished,
             .established, .failed:
            return []
        }
    }

    /// Frames application bytes in records; before the handshake completes they wait.
    package mutating func seal(_ plaintext: [UInt8]) -> [UInt8] {
        guard isEstablished else {
            pendingPlaintext += plaintext
            return []
        }
        var out: [UInt8] = []
        var start = 0
        var remaining = plaintext.count / Self.maximumRecordPayload + 1
        while start < plaintext.count, remaining > 0 {
            remaining -= 1
            let end = min(start + Self.maximumRecordPayload, plaintext.count)
            out += sealedRecord(Self.applicationData, Array(plaintext[start..<end]))
            start = end
        }
        return out
    }

    /// Feeds bytes from the peer.
    package mutating func received(_ bytes: [UInt8]) throws(ModelError) -> Output {
        if case .failed = state { throw .alert }
        buffer += bytes
        var output = Output()
        var offset = 0
        // Each pass consumes one record of at least 5 bytes: bounded by the buffer.
        while buffer.count - offset >= 5 {
            let type = buffer[offset]
            guard type >= 0x14, type <= 0x17, buffer[offset + 1] == 0x03 else {
                state = .failed
                throw .notTLS(firstByte: type)
            }
            let length = Int(buffer[offset + 3]) << 8 | Int(buffer[offset + 4])
            guard buffer.count - offset - 5 >= length else { break }
            let payload = Array(buffer[(offset + 5)..<(offset + 5 + length)])
            offset += 5 + length
            try process(type: type, payload: payload, into: &output)
        }
        // A buffer read to its end gives its storage back: a herd holds one model per TLS attempt,
        // and the server's flight (certificate included) would otherwise stay allocated in each.
        if offset == buffer.count {
            buffer = []
        } else {
            buffer.removeFirst(offset)
        }
        return output
    }

    private mutating func process(type: UInt8, payload: [UInt8], into output: inout Output) throws(ModelError) {
        if type == Self.alert {
            state = .failed
            throw .alert
        }
        switch (state, type) {
        case (.serverAwaitingHello, Self.handshake):
            guard payload.count >= 38, payload[0] == 1 else { return try unexpected(type) }
            peerRandom = Array(payload[6..<38])
            deriveKeystreams()
            state = .serverAwaitingFinished
            let sessionID = payload.count >= 71 ? Array(payload[39..<71]) : [UInt8](repeating: 0, count: 32)
            // TLS_AES_128_GCM_SHA256; supported_versions 1.3; the X25519MLKEM768 share (the ML-KEM
            // ciphertext and the X25519 key).
            var hello: [UInt8] = [0x03, 0x03] + ownRandom + [32] + sessionID + [0x13, 0x01, 0x00]
            let share = [0x11, 0xEC] + Self.u16(1_120) + randomBytes(1_120)
            let extensions = [0x00, 0x2B, 0x00, 0x02, 0x03, 0x04] + [0x00, 0x33] + Self.u16(share.count) + share
            hello += Self.u16(extensions.count) + extensions
            output.send += Self.record(Self.handshake, Self.handshakeMessage(type: 2, hello))
            output.send += Self.record(Self.changeCipherSpec, [0x01])
            // EncryptedExtensions, Certificate, CertificateVerify, Finished.
            output.send += sealedRecord(Self.handshake, randomBytes(Size.serverEncryptedFlight - Self.sealOverhead))
        case (.clientAwaitingServerHello, Self.handshake):
            guard payload.count >= 38, payload[0] == 2 else { return try unexpected(type) }
            peerRandom = Array(payload[6..<38])
            deriveKeystreams()
            state = .clientAwaitingEncryptedFlight
        case (.clientAwaitingEncryptedFlight, Self.changeCipherSpec), (.serverAwaitingFinished, Self.changeCipherSpec):
            // Middlebox compatibility: a ChangeCipherSpec that means nothing in TLS 1.3.
            return
        case (.clientAwaitingEncryptedFlight, Self.applicationData):
            guard unseal(payload)?.type == Self.handshake else { return try unexpected(type) }
            state = .established
            output.send += Self.record(Self.changeCipherSpec, [0x01])
            output.send += sealedRecord(Self.handshake, Self.handshakeMessage(type: 20, randomBytes(32)))
            output.established = true
            output.send += flushPending()
        case (.serverAwaitingFinished, Self.applicationData):
            guard unseal(payload)?.type == Self.handshake else { return try unexpected(type) }
            state = .established
            output.established = true
            output.send += sealedRecord(Self.handshake, randomBytes(Size.sessionTickets - Self.sealOverhead))
            output.send += flushPending()
        case (.established, Self.applicationData):
            guard let sealed = unseal(payload) else { return try unexpected(type) }
            // A session ticket after the handshake is not application data.
            if sealed.type == Self.applicationData { output.plaintext += sealed.content }
        case (.clientStart, _), (.clientAwaitingServerHello, _), (.clientAwaitingEncryptedFlight, _),
             (.serverAwaitingHello, _), (.serverAwaitingFinished, _), (.established, _), (.failed, _):
            try unexpected(type)
        }
    }

    private mutating func unexpected(_ type: UInt8) throws(ModelError) {
        state = .failed
        throw .unexpectedRecord(contentType: type)
    }

    private mutating func flushPending() -> [UInt8] {
        let pending = pendingPlaintext
        pendingPlaintext = []
        return pending.isEmpty ? [] : seal(pending)
    }

    /// Both ends derive the same two streams from the two hello randoms.
    private mutating func deriveKeystreams() {
        let clientRandom = role == .client ? ownRandom : peerRandom
        let serverRandom = role == .client ? peerRandom : ownRandom
        var seed: UInt64 = 0
        for i in 0..<8 { seed = seed << 8 | UInt64(clientRandom[i] ^ serverRandom[i]) }
        let clientToServer = SimRandom(seed: seed)
        let serverToClient = SimRandom(seed: ~seed)
        sendKeystream = role == .client ? clientToServer : serverToClient
        receiveKeystream = role == .client ? serverToClient : clientToServer
    }

    /// TLS 1.3's record: the content and its real content type scrambled together, then the AEAD
    /// tag; the outer type is always application data.
    private mutating func sealedRecord(_ inner: UInt8, _ content: [UInt8]) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(content.count + Self.sealOverhead)
        for byte in content + [inner] { payload.append(byte ^ UInt8(truncatingIfNeeded: sendKeystream.next())) }
        for _ in 0..<16 { payload.append(UInt8(truncatingIfNeeded: sendKeystream.next())) }
        return Self.record(Self.applicationData, payload)
    }

    /// The inner content type and the content of a sealed record; nil when it is too short to be one.
    private mutating func unseal(_ payload: [UInt8]) -> (type: UInt8, content: [UInt8])? {
        guard payload.count >= Self.sealOverhead else { return nil }
        var plain: [UInt8] = []
        plain.reserveCapacity(payload.count - 16)
        for byte in payload[0..<(payload.count - 16)] { plain.append(byte ^ UInt8(truncatingIfNeeded: receiveKeystream.next())) }
        for _ in 0..<16 { _ = receiveKeystream.next() }
        let inner = plain.removeLast()
        return (inner, plain)
    }

    private mutating func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    private static func record(_ type: UInt8, version: [UInt8] = [0x03, 0x03], _ payload: [UInt8]) -> [UInt8] {
        [type] + version + u16(payload.count) + payload
    }

    private static func handshakeMessage(type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type] + u24(body.count) + body
    }

    private static func u16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
    private static func u24(_ value: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }
}
