import Connector
import Foundation
import LiveNet
import Testing

/// Our client and our server talking over RTMP and over RTMPT, captured on loopback with tshark and
/// dissected by Wireshark's own RTMPT dissector: an independent check of our bytes.
@Suite("Interop: tshark dissects our traffic", .timeLimit(.minutes(1)))
struct TSharkCaptureInteropTests {
    // Runs when tshark can capture (root); in CI it always runs and fails if it cannot.
    @Test(.enabled(if: InteropEnvironment.canCapture, "tshark is missing or cannot capture on loopback (needs root)"))
    func dissectsConnectAndResultOverRTMPAndRTMPT() async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-\(UUID().uuidString).pcapng")
        defer { try? FileManager.default.removeItem(at: capture) }
        let configuration = LiveServerConfiguration(listen: [
            ListenAddress(host: "127.0.0.1", port: 0), ListenAddress(host: "127.0.0.1", port: 0),
        ])
        let (rtmpPort, rtmptPort, results) = try await LiveServer.serving(configuration) { server in
            let (rtmpPort, rtmptPort) = (server.ports[0], server.ports[1])
            let capturing = try PeerProcess(tshark, [
                "-i", "lo", "-f", "tcp port \(rtmpPort) or tcp port \(rtmptPort)", "-w", capture.path, "-a", "duration:30",
            ])
            guard await capturing.waitForOutput(containing: "Capturing on", timeout: .seconds(15)) else {
                await capturing.stop()
                Issue.record("tshark did not start capturing:\n\(capturing.output)")
                return (rtmpPort, rtmptPort, [LiveConnectResult]())
            }
            // The capture starts a little after tshark says so: leave it a moment.
            try await Task.sleep(for: .milliseconds(500))
            let client = LiveClient(options: .init(timeout: .seconds(10)))
            var results: [LiveConnectResult] = []
            results.append(await client.connect(to: try ConnectURL(parsing: "rtmp://127.0.0.1:\(rtmpPort)/live")))
            results.append(await client.connect(to: try ConnectURL(parsing: "rtmpt://127.0.0.1:\(rtmptPort)/live")))
            try await Task.sleep(for: .milliseconds(500))
            await capturing.stop(signal: SIGTERM, grace: .seconds(10))
            return (rtmpPort, rtmptPort, results)
        }
        try #require(results.count == 2)
        #expect(results.allSatisfy { $0.succeeded }, "\(results.map(\.summary))")

        // RTMP on a non-standard port needs "decode as rtmpt"; RTMPT needs "decode as http", after
        // which Wireshark recognises the tunnel by its application/x-fcs bodies.
        let reader = try PeerProcess(tshark, [
            "-r", capture.path, "-d", "tcp.port==\(rtmpPort),rtmpt", "-d", "tcp.port==\(rtmptPort),http",
            "-Y", "rtmpt", "-T", "fields", "-E", "separator=|", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "amf.string",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        let rows = reader.output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        func strings(to port: Int) -> String {
            rows.filter { $0.count == 3 && $0[1] == "\(port)" }.map { $0[2] }.joined(separator: "\n")
        }
        func strings(from port: Int) -> String {
            rows.filter { $0.count == 3 && $0[0] == "\(port)" }.map { $0[2] }.joined(separator: "\n")
        }
        for port in [rtmpPort, rtmptPort] {
            // The client's connect with its app, and the server's _result with Connect.Success.
            #expect(strings(to: port).contains("connect,app,live"), "port \(port):\n\(reader.output)")
            #expect(strings(from: port).contains("_result"), "port \(port):\n\(reader.output)")
            #expect(strings(from: port).contains("NetConnection.Connect.Success"), "port \(port):\n\(reader.output)")
        }
    }
}
