/// RTMPS on the simulated wire: a TLS 1.2 full handshake's round trips and record sizes, without
/// the cryptography.
///
/// What the simulation needs from TLS is what the network sees: two extra round trips before the
/// first RTMP byte, flights of realistic size (a ~3 KB certificate flight spans several segments, so
/// bandwidth and loss matter), a first byte of 0x16 that port sniffers and proxies recognise as TLS,
/// and application data framed in records with AES-GCM's 24-byte overhead. Record payloads are
/// scrambled with a keystream derived from the hellos' random values so a capture looks like TLS and
/// the peer can unscramble them; this is not encryption and claims no security.
///
/// Flights (ECDHE-RSA with AES-128-GCM, as a 2010s FMS/Wowza endpoint would negotiate):
/// - client: ClientHello (512-byte handshake body, padded as browsers do): one record, 517 bytes.
/// - server: ServerHello (70), Certificate (2,800: a leaf and an intermediate), ServerKeyExchange
///   (333: a P-256 key and an RSA-2048 signature), ServerHelloDone (4), in one record.
/// - client: ClientKeyExchange (70), ChangeCipherSpec, Finished (40 bytes sealed).
/// - server: ChangeCipherSpec, Finished. Then application data: 0x17 records, ≤ 16,384 bytes each.
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
        case clientAwaitingServerFlight
        case clientAwaitingChangeCipherSpec
        case clientAwaitingFinished
        case serverAwaitingHello
        case serverAwaitingKeyExchange
        case serverAwaitingChangeCipherSpec
        case serverAwaitingFinished
        case established
        case failed
    }

    static let handshake: UInt8 = 0x16
    static let changeCipherSpec: UInt8 = 0x14
    static let alert: UInt8 = 0x15
    static let applicationData: UInt8 = 0x17
    static let maximumRecordPayload = 16_384

    private let role: Role
    private var state: State
    private var random: SimRandom
    private var buffer: [UInt8] = []
    private var ownRandom: [UInt8]
    private var peerRandom: [UInt8] = []
    private var sendKeystream = SimRandom(seed: 0)
    private var receiveKeystream = SimRandom(seed: 0)
    private var sendSequence: UInt64 = 0
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
        case .clientStart, .clientAwaitingServerFlight, .clientAwaitingChangeCipherSpec, .clientAwaitingFinished,
             .serverAwaitingHello, .serverAwaitingKeyExchange, .serverAwaitingChangeCipherSpec,
             .serverAwaitingFinished, .failed: false
        }
    }

    /// The client's first flight (ClientHello). A server's `start` sends nothing.
    package mutating func start() -> [UInt8] {
        switch state {
        case .clientStart:
            state = .clientAwaitingServerFlight
            var body: [UInt8] = [0x03, 0x03] + ownRandom + [0x00]
            let suites: [UInt8] = [0xC0, 0x2F, 0xC0, 0x2B, 0xC0, 0x30, 0x00, 0x9C, 0x00, 0x2F, 0x00, 0x35]
            body += Self.u16(suites.count) + suites + [0x01, 0x00]
            // Extensions: a padding extension (RFC 7685) brings the body to 508 bytes, as browsers pad.
            let paddingLength = 508 - body.count - 2 - 4
            body += Self.u16(paddingLength + 4) + [0x00, 0x15] + Self.u16(paddingLength) + [UInt8](repeating: 0, count: paddingLength)
            return Self.record(Self.handshake, version: [0x03, 0x01], Self.handshakeMessage(type: 1, body))
        case .clientAwaitingServerFlight, .clientAwaitingChangeCipherSpec, .clientAwaitingFinished,
             .serverAwaitingHello, .serverAwaitingKeyExchange, .serverAwaitingChangeCipherSpec,
             .serverAwaitingFinished, .established, .failed:
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
            state = .serverAwaitingKeyExchange
            var hello: [UInt8] = [0x03, 0x03] + ownRandom + [0x00, 0xC0, 0x2F, 0x00]
            hello += Self.u16(26) + [0xFF, 0x01, 0x00, 0x01, 0x00] + [0x00, 0x0B, 0x00, 0x02, 0x01, 0x00]
                + [0x00, 0x23, 0x00, 0x00] + [0x00, 0x17, 0x00, 0x00] + [0x00, 0x10, 0x00, 0x03, 0x00, 0x01, 0x00]
            let certificates = Self.u24(2_797) + Self.u24(1_500) + randomBytes(1_500) + Self.u24(1_291) + randomBytes(1_291)
            let keyExchange = [0x03, 0x00, 0x17, 65] + randomBytes(65) + [0x04, 0x01] + Self.u16(256) + randomBytes(256)
            let flight = Self.handshakeMessage(type: 2, hello) + Self.handshakeMessage(type: 11, certificates)
                + Self.handshakeMessage(type: 12, keyExchange) + Self.handshakeMessage(type: 14, [])
            output.send += Self.record(Self.handshake, flight)
        case (.clientAwaitingServerFlight, Self.handshake):
            guard payload.count >= 38, payload[0] == 2 else { return try unexpected(type) }
            peerRandom = Array(payload[6..<38])
            deriveKeystreams()
            state = .clientAwaitingChangeCipherSpec
            output.send += Self.record(Self.handshake, Self.handshakeMessage(type: 16, [65] + [0x04] + randomBytes(64)))
            output.send += Self.record(Self.changeCipherSpec, [0x01])
            output.send += sealedRecord(Self.handshake, Self.handshakeMessage(type: 20, randomBytes(12)))
        case (.serverAwaitingKeyExchange, Self.handshake):
            state = .serverAwaitingChangeCipherSpec
        case (.serverAwaitingChangeCipherSpec, Self.changeCipherSpec):
            state = .serverAwaitingFinished
        case (.serverAwaitingFinished, Self.handshake):
            _ = unseal(payload)
            state = .established
            output.send += Self.record(Self.changeCipherSpec, [0x01])
            output.send += sealedRecord(Self.handshake, Self.handshakeMessage(type: 20, randomBytes(12)))
            output.established = true
            output.send += flushPending()
        case (.clientAwaitingChangeCipherSpec, Self.changeCipherSpec):
            state = .clientAwaitingFinished
        case (.clientAwaitingFinished, Self.handshake):
            _ = unseal(payload)
            state = .established
            output.established = true
            output.send += flushPending()
        case (.established, Self.applicationData):
            output.plaintext += unseal(payload)
        case (.clientStart, _), (.clientAwaitingServerFlight, _), (.clientAwaitingChangeCipherSpec, _),
             (.clientAwaitingFinished, _), (.serverAwaitingHello, _), (.serverAwaitingKeyExchange, _),
             (.serverAwaitingChangeCipherSpec, _), (.serverAwaitingFinished, _), (.established, _), (.failed, _):
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

    /// Explicit nonce (8) + scrambled content + tag (16), as AES-GCM frames a TLS 1.2 record.
    private mutating func sealedRecord(_ type: UInt8, _ content: [UInt8]) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(content.count + 24)
        for shift in stride(from: 56, through: 0, by: -8) { payload.append(UInt8(truncatingIfNeeded: sendSequence >> UInt64(shift))) }
        sendSequence &+= 1
        for byte in content { payload.append(byte ^ UInt8(truncatingIfNeeded: sendKeystream.next())) }
        for _ in 0..<16 { payload.append(UInt8(truncatingIfNeeded: sendKeystream.next())) }
        return Self.record(type, payload)
    }

    private mutating func unseal(_ payload: [UInt8]) -> [UInt8] {
        guard payload.count >= 24 else { return [] }
        var plain: [UInt8] = []
        plain.reserveCapacity(payload.count - 24)
        for byte in payload[8..<(payload.count - 16)] { plain.append(byte ^ UInt8(truncatingIfNeeded: receiveKeystream.next())) }
        for _ in 0..<16 { _ = receiveKeystream.next() }
        return plain
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
