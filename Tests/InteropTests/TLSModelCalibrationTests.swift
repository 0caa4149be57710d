import Connector
import Foundation
import LiveNet
import NetSim
import Testing
import TestSupport

/// The simulated TLS model against the live TLS it stands for: our client and server (BoringSSL at
/// both ends) captured on loopback with tshark, record by record up to the server's first record
/// after the client's Finished. The same records in the same order and directions mean the same
/// round trips before the first RTMP byte; their sizes may drift a little with BoringSSL's
/// extensions (10 %), beyond which the model wants recalibrating (docs/live-networks.md).
@Suite("Interop: the TLS model against a capture of live TLS", .timeLimit(.minutes(5)))
struct TLSModelCalibrationTests {
    /// One TLS record as the wire carries it: who sent it, its outer content type, its payload length.
    struct Record: Equatable, CustomStringConvertible {
        var fromClient: Bool
        var type: Int
        var length: Int
        var description: String { "\(fromClient ? "C" : "S"):\(type):\(length)" }
    }

    /// The model's records, C0+C1 (1,537 bytes) written by the client before the handshake ends, as
    /// the attempt driver writes it when the stream starts.
    static func modelRecords() throws -> [Record] {
        var client = TLSModel(role: .client, seed: 1)
        var server = TLSModel(role: .server, seed: 2)
        let hello = client.start()
        _ = client.seal([UInt8](repeating: 3, count: 1_537))
        let serverFlight = try server.received(hello).send
        let clientFlight = try client.received(serverFlight).send
        let tickets = try server.received(clientFlight).send
        return records(hello, fromClient: true) + records(serverFlight, fromClient: false)
            + records(clientFlight, fromClient: true) + records(tickets, fromClient: false)
    }

    static func records(_ bytes: [UInt8], fromClient: Bool) -> [Record] {
        var found: [Record] = []
        var offset = 0
        while offset + 5 <= bytes.count {
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            found.append(Record(fromClient: fromClient, type: Int(bytes[offset]), length: length))
            offset += 5 + length
        }
        return found
    }

    @Test(.enabled(if: InteropEnvironment.canCapture, "tshark is missing or cannot capture on loopback (needs root)"))
    func theModelsRecordsAreTheLiveHandshakesRecords() async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let folder = try TemporaryFolder()
        let capture = folder.path("tls.pcapng")
        let identity = try TLSIdentity.selfSigned(names: ["localhost", "127.0.0.1"])
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tls: identity)
        let (port, result) = try await LiveServer.serving(configuration) { server in
            let port = server.ports[0]
            let (started, tsharkOutput) = try await TSharkCapture.start(tshark, port: port, into: capture)
            guard let capturing = started else {
                Issue.record("tshark did not start capturing:\n\(tsharkOutput)")
                return (port, LiveConnectResult?.none)
            }
            // By name, as a player with a scenario's host name sends SNI.
            let url = try ConnectURL(parsing: "rtmps://localhost:\(port)/live")
            let result = await LiveClient(options: .init(timeout: .seconds(20), trust: .certificates(identity.certificateChain)))
                .connect(to: url)
            try await Task.sleep(for: .milliseconds(300))
            await capturing.stop(signal: SIGTERM, grace: .seconds(10))
            return (port, Optional(result))
        }
        let connected = try #require(result)
        #expect(connected.succeeded, "\(connected.summary)")

        let reader = try TestProcess(tshark, [
            "-r", capture, "-d", "tcp.port==\(port),tls", "-Y", "tls",
            "-T", "fields", "-E", "separator=|", "-E", "aggregator=,", "-e", "tcp.srcport",
            "-e", "tls.record.content_type", "-e", "tls.record.opaque_type", "-e", "tls.record.length",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        var live: [Record] = []
        for row in reader.output.split(separator: "\n") {
            let fields = row.split(separator: "|", omittingEmptySubsequences: false)
            guard fields.count == 4 else { continue }
            // TLS 1.3's encrypted records are dissected with an opaque type, not a content type; in
            // one segment the plaintext records (ServerHello, ChangeCipherSpec) come before them.
            let types = (fields[1].split(separator: ",") + fields[2].split(separator: ",")).compactMap { Int($0) }
            let lengths = fields[3].split(separator: ",").compactMap { Int($0) }
            guard types.count == lengths.count else { continue }
            for (type, length) in zip(types, lengths) {
                live.append(Record(fromClient: fields[0] != "\(port)", type: type, length: length))
            }
        }
        let model = try Self.modelRecords()
        try #require(live.count >= model.count, "live records: \(live)\n\(reader.output)")
        let compared = Array(live.prefix(model.count))
        #expect(compared.map { [$0.fromClient ? 1 : 0, $0.type] } == model.map { [$0.fromClient ? 1 : 0, $0.type] },
                "live \(compared) vs model \(model)")
        for (seen, modelled) in zip(compared, model) {
            let tolerance = max(2, modelled.length / 10)
            #expect(abs(seen.length - modelled.length) <= tolerance, "live \(seen) vs model \(modelled)")
        }
    }
}
