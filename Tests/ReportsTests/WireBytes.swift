import Reports

/// Hand-built RTMP and RTMPT bytes for capture tests, written from the wire reference (AMF0
/// markers, chunk basic and message headers), independent of the RTMP module so that the capture
/// test checks our framing against tshark's dissector and nothing of ours.
enum WireBytes {
    enum AMF {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case object([(String, AMF)])

        var bytes: [UInt8] {
            switch self {
            case .number(let value):
                return [0x00] + withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init)
            case .bool(let value):
                return [0x01, value ? 1 : 0]
            case .string(let text):
                return [0x02] + WireBytes.shortString(text)
            case .null:
                return [0x05]
            case .object(let members):
                var out: [UInt8] = [0x03]
                for (key, value) in members { out += WireBytes.shortString(key) + value.bytes }
                return out + [0x00, 0x00, 0x09]
            }
        }
    }

    static func shortString(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        return [UInt8(utf8.count >> 8), UInt8(utf8.count & 0xFF)] + utf8
    }

    /// A deterministic 1536-byte handshake block: time, version, then pseudo-random filler.
    static func handshakeBlock(seed: UInt8, version: [UInt8]) -> [UInt8] {
        var block: [UInt8] = [0, 0, 0, 0] + version
        var state = UInt32(seed) &* 2_654_435_761 | 1
        while block.count < 1536 {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            block.append(UInt8(truncatingIfNeeded: state))
        }
        return block
    }

    /// An AMF0 command message (type 20) on chunk stream 3, split into 128-byte chunks with fmt 3
    /// continuation headers.
    static func commandChunks(_ values: [AMF], streamID: UInt32 = 0) -> [UInt8] {
        let body = values.flatMap(\.bytes)
        let length = body.count
        var out: [UInt8] = [0x03, 0, 0, 0, UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF), 20]
        out += withUnsafeBytes(of: streamID.littleEndian, Array.init)
        var offset = 0
        while offset < length {
            if offset > 0 { out.append(0xC3) }
            let end = min(offset + 128, length)
            out += body[offset..<end]
            offset = end
        }
        return out
    }

    static var connectCommand: [UInt8] {
        commandChunks([
            .string("connect"), .number(1),
            .object([
                ("app", .string("live")), ("flashVer", .string("LNX 9,0,124,2")),
                ("tcUrl", .string("rtmp://media.example.com:1935/live")), ("fpad", .bool(false)),
                ("capabilities", .number(15)), ("audioCodecs", .number(4071)), ("videoCodecs", .number(252)),
                ("videoFunction", .number(1)),
            ]),
        ])
    }

    static var connectResult: [UInt8] {
        commandChunks([
            .string("_result"), .number(1),
            .object([("fmsVer", .string("FMS/3,0,1,123")), ("capabilities", .number(31))]),
            .object([
                ("level", .string("status")), ("code", .string("NetConnection.Connect.Success")),
                ("description", .string("Connection succeeded.")), ("objectEncoding", .number(0)),
            ]),
        ])
    }

    /// An RTMPT request as librtmp sends it.
    static func httpPost(_ path: String, body: [UInt8]) -> [UInt8] {
        let head = "POST \(path) HTTP/1.1\r\nHost: media.example.com\r\nAccept: */*\r\n"
            + "User-Agent: Shockwave Flash\r\nConnection: Keep-Alive\r\nCache-Control: no-cache\r\n"
            + "Content-Type: application/x-fcs\r\nContent-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// An RTMPT response as the reference prescribes it.
    static func httpResponse(body: [UInt8]) -> [UInt8] {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-fcs\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-cache\r\nConnection: Keep-Alive\r\n\r\n"
        return Array(head.utf8) + body
    }
}

/// A TCP conversation between a client and a server with consistent sequence numbers, turned into
/// trace records: what a simulated run's packet trace would hold.
struct TCPConversation {
    let client: PacketRecord.Address
    let clientPort: UInt16
    let server: PacketRecord.Address
    let serverPort: UInt16
    private var clientSequence: UInt32
    private var serverSequence: UInt32
    private(set) var records: [PacketRecord] = []
    private(set) var now: Duration

    init(client: PacketRecord.Address, clientPort: UInt16, server: PacketRecord.Address, serverPort: UInt16, start: Duration) {
        self.client = client
        self.clientPort = clientPort
        self.server = server
        self.serverPort = serverPort
        clientSequence = 1000 + UInt32(clientPort)
        serverSequence = 5_000_000 + UInt32(serverPort)
        now = start
    }

    private func segment(fromClient: Bool, flags: TCPSegmentRecord.Flags, payload: [UInt8]) -> TCPSegmentRecord {
        TCPSegmentRecord(
            at: now,
            source: fromClient ? client : server, sourcePort: fromClient ? clientPort : serverPort,
            destination: fromClient ? server : client, destinationPort: fromClient ? serverPort : clientPort,
            sequence: fromClient ? clientSequence : serverSequence,
            acknowledgement: flags.contains(.ack) ? (fromClient ? serverSequence : clientSequence) : 0,
            flags: flags, window: 64240, payload: payload)
    }

    /// A SYN the server never answers (a silently dropping firewall).
    mutating func unansweredSYN(after delay: Duration) {
        now += delay
        records.append(.tcp(segment(fromClient: true, flags: .syn, payload: [])))
    }

    mutating func open(rtt: Duration) {
        records.append(.tcp(segment(fromClient: true, flags: .syn, payload: [])))
        clientSequence &+= 1
        now += rtt / 2
        records.append(.tcp(segment(fromClient: false, flags: [.syn, .ack], payload: [])))
        serverSequence &+= 1
        now += rtt / 2
        records.append(.tcp(segment(fromClient: true, flags: .ack, payload: [])))
    }

    /// Sends bytes in segments of at most 1460 bytes, one way, after `delay`.
    mutating func send(fromClient: Bool, _ bytes: [UInt8], after delay: Duration) {
        now += delay
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 1460, bytes.count)
            records.append(.tcp(segment(fromClient: fromClient, flags: [.psh, .ack], payload: Array(bytes[offset..<end]))))
            if fromClient { clientSequence &+= UInt32(end - offset) } else { serverSequence &+= UInt32(end - offset) }
            offset = end
            now += .microseconds(120)
        }
    }

    /// An RST answering a SYN (a rejecting firewall).
    mutating func refused(rtt: Duration) {
        records.append(.tcp(segment(fromClient: true, flags: .syn, payload: [])))
        now += rtt
        var reset = segment(fromClient: false, flags: [.rst, .ack], payload: [])
        reset.sequence = 0
        reset.acknowledgement = clientSequence &+ 1
        records.append(.tcp(reset))
    }
}
