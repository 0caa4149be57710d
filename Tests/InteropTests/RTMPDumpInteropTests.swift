import Foundation
import LiveNet
import Testing

/// rtmpdump (librtmp) as the client of our server, over plain RTMP and over the RTMPT HTTP tunnel on
/// the same port: the port sniffing must tell them apart.
@Suite("Interop: rtmpdump → our server", .timeLimit(.minutes(1)))
struct RTMPDumpInteropTests {
    // Runs whenever rtmpdump is installed; in CI it always runs and fails if rtmpdump is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump"), "rtmpdump is not installed"),
          arguments: [ServedProtocol.rtmp])
    func rtmpdumpConnects(over transport: ServedProtocol) async throws {
        let rtmpdump = try InteropEnvironment.require("rtmpdump")
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            let url = "\(transport.rawValue)://127.0.0.1:\(server.ports[0])/live/x"
            let client = try PeerProcess(rtmpdump, ["-r", url, "-v", "-m", "3", "-o", "/dev/null"])
            let answered = await log.waitForConnects(1, timeout: .seconds(15))
            let exited = await client.waitForExit(timeout: .seconds(10))
            let status = await client.stop()

            // rtmpdump's side: it connected (librtmp prints this once connect is sent and the
            // session goes on) and got past the connect result to play.
            #expect(client.output.contains("Connecting ..."), "\(client.output)")
            #expect(client.output.contains("INFO: Connected..."), "\(client.output)")
            #expect(!client.output.contains("Failed to connect"), "\(client.output)")
            #expect(exited != nil || status != 3)
            // Our side: the connect arrived over the transport the URL named, and was answered.
            try #require(answered, "no connect reached the server; events: \(log.all)")
            let connect = log.connects[0]
            #expect(connect.app == "live")
            #expect(connect.flashVer == "LNX 10,0,32,18")
            #expect(connect.via == transport)
            #expect(log.all.contains { if case .answered = $0.kind { true } else { false } })
        }
    }
}
