import Testing
import NetSim

@Suite("RTMPS: the TLS model's round trips and records")
struct TLSModelTests {
    @Test("two flights each way, then application data both ways in 0x17 records with 24 bytes of overhead")
    func handshakeAndData() throws {
        var client = TLSModel(role: .client, seed: 1)
        var server = TLSModel(role: .server, seed: 2)
        let hello = client.start()
        #expect(hello.first == 0x16, "a sniffer sees a TLS handshake record")
        #expect(hello.count == 517)
        #expect(server.start().isEmpty)

        let serverFlight = try server.received(hello)
        #expect(serverFlight.send.count > 3_000, "the certificate flight spans several segments")
        #expect(!serverFlight.established)
        #expect(client.seal(Array("early".utf8)).isEmpty, "data waits for the handshake")

        let clientFlight = try client.received(serverFlight.send)
        #expect(!clientFlight.established)
        #expect(clientFlight.send.first == 0x16)

        let serverFinished = try server.received(clientFlight.send)
        #expect(serverFinished.established)
        #expect(server.isEnabledForData)

        let clientDone = try client.received(serverFinished.send)
        #expect(clientDone.established)
        #expect(clientDone.send.first == 0x17, "the data written early leaves with the handshake's end")
        #expect(clientDone.send.count == 5 + 8 + 5 + 16)
        #expect(!clientDone.send.contains(subsequence: Array("early".utf8)), "record content is scrambled")

        let atServer = try server.received(clientDone.send)
        #expect(atServer.plaintext == Array("early".utf8))

        let big = testBytes(40_000)
        let records = server.seal(big)
        #expect(records.count == 40_000 + 3 * (5 + 24), "16 KiB records")
        // Fed in small odd pieces, the records still reassemble.
        var plain: [UInt8] = []
        var start = 0
        while start < records.count {
            let end = min(start + 997, records.count)
            plain += try client.received(Array(records[start..<end])).plaintext
            start = end
        }
        let intact = plain == big
        #expect(intact)
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
