import Testing
@testable import RTMP

@Suite struct PortSnifferTests {
    static let cases: [([UInt8], PortSniffer.Verdict)] = [
        ([UInt8](), .needMoreBytes),
        ([0x03], .rtmp),
        ([0x03, 0x00, 0x00], .rtmp),
        ([0x06], .rtmpe(version: 0x06)),
        ([0x08], .rtmpe(version: 0x08)),
        ([0x09], .rtmpe(version: 0x09)),
        ([0x16, 0x03, 0x01], .tls),
        (Array("P".utf8), .needMoreBytes),
        (Array("POS".utf8), .needMoreBytes),
        (Array("POST".utf8), .needMoreBytes),
        (Array("POST ".utf8), .http),
        (Array("POST /open/1 HTTP/1.1".utf8), .http),
        (Array("PUT ".utf8), .http),
        (Array("PATCH ".utf8), .http),
        (Array("GET /fcs/ident2".utf8), .http),
        (Array("OPTIONS".utf8), .needMoreBytes),
        (Array("OPTIONS ".utf8), .http),
        (Array("CONNECT host:443".utf8), .http),
        (Array("POSX".utf8), .unknown),
        (Array("post ".utf8), .unknown),
        (Array("POST/".utf8), .unknown),
        (Array("SSH-2.0".utf8), .unknown),
        ([0x00], .unknown),
        ([0x05], .unknown),
        ([0xFF, 0xFF], .unknown),
    ]

    @Test(arguments: cases)
    func verdicts(bytes: [UInt8], verdict: PortSniffer.Verdict) {
        #expect(PortSniffer.sniff(bytes[...]) == verdict)
    }

    /// Every byte value as a first byte gives a verdict; only HTTP method initials ask for more.
    @Test func everyFirstByteIsDecidedOrAMethodInitial() {
        let initials = Set("GPHDOCT".utf8)
        for byte in UInt8.min...UInt8.max {
            let verdict = PortSniffer.sniff([byte][...])
            #expect((verdict == .needMoreBytes) == initials.contains(byte), "byte \(byte)")
        }
    }

    @Test func aVerdictNeedsAtMostMaxPrefixLengthBytes() {
        var random = SplitMix64(seed: 5)
        for _ in 0..<2000 {
            var bytes = random.bytes(PortSniffer.maxPrefixLength)
            bytes[0] = Array("GPHDOCT".utf8)[Int(random.next() % 7)]
            #expect(PortSniffer.sniff(bytes[...]) != .needMoreBytes)
        }
    }
}
