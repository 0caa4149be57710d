import Foundation
import LiveNet
import Testing
import RunCore
import TestSupport

/// rtmpdump (librtmp) as the client of our server, over plain RTMP and over the RTMPT HTTP tunnel on
/// the same port: the port sniffing must tell them apart.
@Suite("Interop: rtmpdump → our server", .timeLimit(.minutes(5)))
struct RTMPDumpInteropTests {
    // Runs whenever rtmpdump is installed; in CI it always runs and fails if rtmpdump is missing.
    /// rtmpdump connects, creates a stream, plays, is told `NetStream.Play.StreamNotFound` (the server
    /// serves no media) and ends by itself, well within its own `-m` timeout and without spinning:
    /// before, it was told Play.Start and then waited for media, and over RTMPT librtmp's read loop
    /// posted `/idle` after every empty reply (our growing polling byte is not read by it) until killed
    /// (docs/rtmp-sessions.md, "rtmpdump and a server without media").
    @Test(.enabled(if: InteropEnvironment.canRun("rtmpdump"), "rtmpdump is not installed"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func rtmpdumpPlaysIsToldStreamNotFoundAndEndsByItself(over transport: ServedProtocol) async throws {
        let rtmpdump = try InteropEnvironment.require("rtmpdump")
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            let url = "\(transport.rawValue)://127.0.0.1:\(server.ports[0])/live/x"
            let client = try TestProcess(rtmpdump, ["-r", url, "-v", "-m", "60", "-o", "/dev/null"])
            let started = ContinuousClock.now
            // Its -m is 60 s: the answer must end it long before, without our signal. A client that
            // waited for media ends at its -m (plain RTMP) or never (RTMPT), past this bound either way;
            // the bound is far from the few milliseconds an answered client takes so that a loaded
            // machine (the sanitizer run, tests in parallel on two cores: 11.7 s was seen) cannot fail it.
            let status = await client.waitForExit(timeout: .seconds(45))
            let took = ContinuousClock.now - started
            if status == nil { await client.stop(signal: SIGKILL) }

            // rtmpdump's side: connected, got past connect to play, was told the stream is not there.
            #expect(status == 1, "rtmpdump did not end by itself within 45 s:\n\(client.output)")
            #expect(took < .seconds(45))
            #expect(client.output.contains("INFO: Connected..."), "\(client.output)")
            #expect(client.output.contains("NetStream.Play.StreamNotFound"), "\(client.output)")
            #expect(!client.output.contains("Failed to connect"), "\(client.output)")
            // Not busy: a spinning RTMPT client burnt about a fifth of a core (111 s of system time
            // in 605 s); a client that ends after a few round trips uses a few milliseconds.
            let cpu = try #require(client.cpuSeconds)
            #expect(cpu < 0.5, "rtmpdump used \(cpu) s of CPU")
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
