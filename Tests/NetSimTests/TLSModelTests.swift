import Testing
import NetSim

@Suite("RTMPS: the TLS model's round trips and records")
struct TLSModelTests {
    @Test("one round trip before data, the measured flights, then application data in 0x17 records 22 bytes longer")
    func handshakeAndData() throws {
        var client = TLSModel(role: .client, seed: 1)
        var server = TLSModel(role: .server, seed: 2)
        let hello = client.start()
        #expect(hello.first == 0x16, "a sniffer sees a TLS handshake record")
        #expect(records(hello) == [Record(type: 0x16, length: 1_467)])
        #expect(server.start().isEmpty)
        #expect(client.seal(Array("early".utf8)).isEmpty, "data waits for the handshake")

        let serverFlight = try server.received(hello)
        #expect(records(serverFlight.send) == [
            Record(type: 0x16, length: 1_210), Record(type: 0x14, length: 1), Record(type: 0x17, length: 622),
        ])
        #expect(!serverFlight.established)

        // The client is done with the server's one flight: its Finished and the data that waited
        // leave together, one round trip after the hello.
        let clientDone = try client.received(serverFlight.send)
        #expect(clientDone.established)
        #expect(records(clientDone.send) == [
            Record(type: 0x14, length: 1), Record(type: 0x17, length: 53), Record(type: 0x17, length: 5 + 17),
        ])
        #expect(!clientDone.send.contains(subsequence: Array("early".utf8)), "record content is scrambled")

        let atServer = try server.received(clientDone.send)
        #expect(atServer.established)
        #expect(atServer.plaintext == Array("early".utf8))
        // Two session tickets in one record after the client's Finished; the client drops them.
        #expect(records(atServer.send) == [Record(type: 0x17, length: 381)])
        let tickets = try client.received(atServer.send)
        #expect(tickets.plaintext.isEmpty && tickets.send.isEmpty)

        let big = testBytes(40_000)
        let sealed = server.seal(big)
        #expect(sealed.count == 40_000 + 3 * (5 + 17), "16 KiB records")
        // Fed in small odd pieces, the records still reassemble.
        var plain: [UInt8] = []
        var start = 0
        while start < sealed.count {
            let end = min(start + 997, sealed.count)
            plain += try client.received(Array(sealed[start..<end])).plaintext
            start = end
        }
        let intact = plain == big
        #expect(intact)
    }

    /// One record's outer content type and payload length.
    struct Record: Equatable {
        var type: UInt8
        var length: Int
    }

    /// The records of a flight, read from their headers.
    func records(_ bytes: [UInt8]) -> [Record] {
        var found: [Record] = []
        var offset = 0
        while offset + 5 <= bytes.count {
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            found.append(Record(type: bytes[offset], length: length))
            offset += 5 + length
        }
        return found
    }

    @Test("raw RTMP sent to a TLS endpoint is refused as not TLS")
    func notTLS() {
        var server = TLSModel(role: .server, seed: 1)
        #expect(throws: TLSModel.ModelError.notTLS(firstByte: 0x03)) {
            _ = try server.received([0x03] + testBytes(1536))
        }
    }

    @Test("same seeds, same bytes")
    func determinism() throws {
        func transcript() throws -> [UInt8] {
            var client = TLSModel(role: .client, seed: 5)
            var server = TLSModel(role: .server, seed: 6)
            let a = client.start()
            let b = try server.received(a).send
            let c = try client.received(b).send
            return a + b + c
        }
        #expect(try transcript() == transcript())
    }
}

extension TLSModel {
    var isEnabledForData: Bool { isEstablished }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        for start in 0...(count - subsequence.count) where Array(self[start..<(start + subsequence.count)]) == subsequence {
            return true
        }
        return false
    }
}
