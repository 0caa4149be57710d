import Connector

extension RecordLine {
    /// The line as `JSONEncoder` with sorted keys and unescaped slashes writes it, byte for byte (a
    /// test holds the two together), without its cost: Foundation's encoder took about a tenth of a
    /// whole `run` of the shipped suite. Reading back uses `JSONDecoder`.
    func appendJSON(to out: inout [UInt8]) {
        var object = JSONObjectWriter(taking: &out)
        object.field("attempts", attempts) { out, attempts in
            out.array(attempts) { out, attempt in
                var fields = JSONObjectWriter(taking: &out)
                fields.field("candidate", attempt.candidate)
                fields.field("detail", attempt.detail)
                fields.field("endedAt", attempt.endedAt)
                fields.field("ending", attempt.ending?.rawValue)
                fields.field("id", attempt.id)
                fields.field("phases", attempt.phases) { out, phases in
                    out.array(phases) { out, phase in
                        var fields = JSONObjectWriter(taking: &out)
                        fields.field("at", phase.at)
                        fields.field("phase", phase.phase.rawValue)
                        fields.close(into: &out)
                    }
                }
                fields.field("startedAt", attempt.startedAt)
                fields.field("synRetransmissions", attempt.synRetransmissions) { out, times in
                    out.array(times) { out, time in out.duration(time) }
                }
                fields.field("timeoutOwner", attempt.timeoutOwner?.rawValue)
                fields.close(into: &out)
            }
        }
        object.field("client", client)
        object.field("clients", clients)
        object.field("cost", cost) { out, cost in
            var fields = JSONObjectWriter(taking: &out)
            fields.field("connectionsAccepted", cost.connectionsAccepted)
            fields.field("handshakesCompleted", cost.handshakesCompleted)
            fields.field("peakConnections", cost.peakConnections)
            fields.field("peakHandshakes", cost.peakHandshakes)
            fields.field("wastedConnections", cost.wastedConnections)
            fields.close(into: &out)
        }
        object.field("error", error)
        object.field("events", events) { out, events in
            out.array(events) { out, event in
                var fields = JSONObjectWriter(taking: &out)
                fields.field("action", event.action)
                fields.field("actor", event.actor)
                fields.field("at", event.at)
                fields.field("attempt", event.attempt)
                fields.field("detail", event.detail)
                fields.close(into: &out)
            }
        }
        object.field("expectations", expectations) { out, checks in
            out.array(checks) { out, check in
                var fields = JSONObjectWriter(taking: &out)
                fields.field("expected", check.expected)
                fields.field("location", check.location)
                fields.field("measured", check.measured)
                fields.field("passed", check.passed)
                fields.close(into: &out)
            }
        }
        object.field("job", job)
        object.field("network", network)
        object.field("oracle", oracle) { out, oracle in
            var fields = JSONObjectWriter(taking: &out)
            fields.field("candidate", oracle.candidate)
            fields.field("timeToConnect", oracle.timeToConnect)
            fields.close(into: &out)
        }
        object.field("pcap", pcap)
        object.field("policy", policy)
        object.field("repetition", repetition)
        object.field("result", result) { out, result in
            var fields = JSONObjectWriter(taking: &out)
            fields.field("after", result.after)
            fields.field("outcome", result.outcome)
            fields.field("playFailure", result.playFailure)
            fields.field("reason", result.reason)
            fields.field("reconnectFailure", result.reconnectFailure)
            fields.field("winner", result.winner)
            fields.close(into: &out)
        }
        object.field("scenario", scenario)
        object.field("seed", seed)
        object.close(into: &out)
    }
}

/// Writes one JSON object's fields in the order given (the caller gives them sorted), leaving out
/// absent optionals as a synthesized `Codable` conformance does.
struct JSONObjectWriter {
    var out: [UInt8]
    private var first = true

    /// Takes the buffer over (leaving `out` empty, so that appending never copies it) until `close`.
    init(taking out: inout [UInt8]) {
        self.out = out
        out = []
        self.out.append(UInt8(ascii: "{"))
    }

    /// Ends the object and gives the buffer back.
    mutating func close(into out: inout [UInt8]) {
        self.out.append(UInt8(ascii: "}"))
        out = self.out
        self.out = []
    }

    private mutating func key(_ name: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        out.string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        out.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func field(_ name: StaticString, _ value: Duration?) {
        guard let value else { return }
        key(name)
        out.duration(value)
    }

    mutating func field<Value>(_ name: StaticString, _ value: Value?, _ write: (inout [UInt8], Value) -> Void) {
        guard let value else { return }
        key(name)
        write(&out, value)
    }
}

extension [UInt8] {
    /// A string as `JSONEncoder` escapes it with `.withoutEscapingSlashes`.
    mutating func string(_ text: String) {
        append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                append(contentsOf: Array("\\u00".utf8))
                append(digits[Int(byte >> 4)])
                append(digits[Int(byte & 0xF)])
            default: append(byte)
            }
        }
        append(UInt8(ascii: "\""))
    }

    /// A `Duration` as its `Codable` conformance writes it: the attoseconds as a 128-bit integer,
    /// high 64 bits (signed) then low 64 bits (unsigned).
    mutating func duration(_ value: Duration) {
        let (seconds, attoseconds) = value.components
        let total = Int128(seconds) * 1_000_000_000_000_000_000 + Int128(attoseconds)
        append(UInt8(ascii: "["))
        append(contentsOf: String(Int64(truncatingIfNeeded: total >> 64)).utf8)
        append(UInt8(ascii: ","))
        append(contentsOf: String(UInt64(truncatingIfNeeded: total)).utf8)
        append(UInt8(ascii: "]"))
    }

    mutating func array<Item>(_ elements: [Item], _ write: (inout [UInt8], Item) -> Void) {
        append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        append(UInt8(ascii: "]"))
    }
}
