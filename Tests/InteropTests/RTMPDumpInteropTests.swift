import Foundation
import LiveNet
import Testing

/// rtmpdump (librtmp) as the client of our server, over plain RTMP and over the RTMPT HTTP tunnel on
/// the same port: the port sniffing must tell them apart.
@Suite("Interop: rtmpdump → our server", .timeLimit(.minutes(3)))
struct RTMPDumpInteropTests {
    // Runs whenever rtmpdump is installed; in CI it always runs and fails if rtmpdump is missing.
    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump"), "rtmpdump is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func rtmpdumpConnectsAndPlays(over transport: ServedProtocol) async throws {
        let rtmpdump = try InteropEnvironment.require("rtmpdump")
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            let url = "\(transport.rawValue)://127.0.0.1:\(server.ports[0])/live/x"
            let client = try PeerProcess(rtmpdump, ["-r", url, "-v", "-m", "3", "-o", "/dev/null"])
            // librtmp prints this once connect's _result, createStream's and play's
            // NetStream.Play.Start have all come back.
            let playing = await client.waitForOutput(containing: "Starting Live Stream", timeout: .seconds(15))
            // No media ever comes: over RTMPT the idle polls keep rtmpdump's read timeout from firing
            // (and its cleanup waits on them), so stop it rather than wait.
            await client.stop(signal: SIGINT, grace: .seconds(2))

            // rtmpdump's side: connected, and got past connect to play.
            #expect(client.output.contains("Connecting ..."), "\(client.output)")
            #expect(client.output.contains("INFO: Connected..."), "\(client.output)")
            #expect(playing, "rtmpdump never started playing:\n\(client.output)")
            #expect(!client.output.contains("Failed to connect"), "\(client.output)")
            #expect(!client.output.contains("rtmp server sent error"), "\(client.output)")
            // Our side: the connect arrived over the transport the URL named, with librtmp's
            // flashVer, and was accepted.
            let connects = log.connects
            try #require(connects.count == 1, "server events: \(log.all)")
            #expect(connects[0].app == "live")
            #expect(connects[0].flashVer == "LNX 10,0,32,18")
            #expect(connects[0].tcUrl == "\(transport.rawValue)://127.0.0.1:\(server.ports[0])/live")
            #expect(connects[0].via == transport)
            #expect(log.all.contains { $0.kind == .answered("accepted") })
            if transport == .rtmpt {
                #expect(log.all.contains { if case .tunnelOpened = $0.kind { true } else { false } })
            }
        }
    }
}
