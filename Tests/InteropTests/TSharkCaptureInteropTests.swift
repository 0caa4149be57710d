import Connector
import Foundation
import LiveNet
import Testing
import RTMP
import RunCore
import TestSupport

/// Our client and our server talking, captured on loopback with tshark and dissected by Wireshark's
/// own RTMPT dissector: an independent check of our bytes.
@Suite("Interop: tshark dissects our traffic", .timeLimit(.minutes(5)))
struct TSharkCaptureInteropTests {
    /// Our client's connection to `port` over `transport`, captured by tshark on loopback into
    /// `path`: tshark started and live first, then the client, then `settle` for what follows its
    /// result. `nil` when tshark could not start (recorded as an issue).
    static func captured(
        by tshark: String, port: Int, into path: String, transport: ServedProtocol, options: LiveClientOptions,
        settle: Duration
    ) async throws -> LiveConnectResult? {
        let (started, tsharkOutput) = try await TSharkCapture.start(tshark, port: port, into: path)
        guard let capturing = started else {
            Issue.record("tshark did not start capturing:\n\(tsharkOutput)")
            return nil
        }
        let url = try ConnectURL(parsing: "\(transport.rawValue)://127.0.0.1:\(port)/live")
        let result = await LiveClient(options: options).connect(to: url)
        try await Task.sleep(for: settle)
        await capturing.stop(signal: SIGTERM, grace: .seconds(10))
        return result
    }

    // Runs when tshark can capture (root); in CI it always runs and fails if it cannot.
    @Test(.enabled(if: InteropEnvironment.canCapture, "tshark is missing or cannot capture on loopback (needs root)"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func dissectsConnectAndResult(over transport: ServedProtocol) async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("fallbacklab-\(UUID().uuidString).pcapng")
        defer { try? FileManager.default.removeItem(at: capture) }
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)])
        let (port, result) = try await LiveServer.serving(configuration) { server in
            let port = server.ports[0]
            let result = try await Self.captured(
                by: tshark, port: port, into: capture.path, transport: transport, options: .init(timeout: .seconds(20)),
                settle: .milliseconds(300))
            return (port, result)
        }
        let connected = try #require(result)
        #expect(connected.succeeded, "\(connected.summary)")

        // RTMP on a non-standard port needs "decode as rtmpt"; RTMPT needs "decode as http", after
        // which Wireshark recognises the tunnel by its application/x-fcs bodies.
        let decodeAs = transport == .rtmp ? "tcp.port==\(port),rtmpt" : "tcp.port==\(port),http"
        let reader = try TestProcess(tshark, [
            "-r", capture.path, "-d", decodeAs, "-Y", "rtmpt",
            "-T", "fields", "-E", "separator=|", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "amf.string",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        let rows = reader.output.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false) }
        let toServer = rows.filter { $0.count == 3 && $0[1] == "\(port)" }.map { $0[2] }.joined(separator: "\n")
        let fromServer = rows.filter { $0.count == 3 && $0[0] == "\(port)" }.map { $0[2] }.joined(separator: "\n")
        // The client's connect with its app and tcUrl, and the server's _result with Connect.Success.
        #expect(toServer.contains("connect,app,live,flashVer,\(LiveClientOptions.defaultFlashVer)"), "\(reader.output)")
        #expect(toServer.contains("tcUrl,\(transport.rawValue)://127.0.0.1:\(port)/live"), "\(reader.output)")
        #expect(fromServer.contains("_result,fmsVer,FMS/3,0,1,123"), "\(reader.output)")
        #expect(fromServer.contains("NetConnection.Connect.Success"), "\(reader.output)")
    }

    /// rtmpdump playing a second of the synthetic video, captured and dissected: the start of play
    /// (Stream Begin, Play.Reset, Play.Start, onMetaData), the video messages as AVC, the end (Stream
    /// EOF, Play.Stop).
    @Test(.enabled(if: InteropEnvironment.canCapture && InteropEnvironment.canRun("rtmpdump"),
                   "tshark cannot capture on loopback (needs root) or rtmpdump is missing"))
    func dissectsThePlayOfSyntheticVideo() async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let rtmpdump = try InteropEnvironment.require("rtmpdump")
        let folder = try TemporaryFolder()
        let capture = folder.path("play.pcapng")
        let configuration = LiveServerConfiguration(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)], session: .init(playableStreams: nil, media: .synthetic(SyntheticVideo())))
        let port = try await LiveServer.serving(configuration) { server in
            let port = server.ports[0]
            let (started, tsharkOutput) = try await TSharkCapture.start(tshark, port: port, into: capture)
            guard let capturing = started else {
                Issue.record("tshark did not start capturing:\n\(tsharkOutput)")
                return port
            }
            let played = try await TestProcess.run(rtmpdump, [
                "-q", "--live", "-r", "rtmp://127.0.0.1:\(port)/live/x", "--stop", "1", "-m", "20", "-o", folder.path("x.flv"),
            ], limit: .seconds(30))
            #expect(played.status == 0, "\(played.output)\(played.errors)")
            try await Task.sleep(for: .milliseconds(300))
            await capturing.stop(signal: SIGTERM, grace: .seconds(10))
            return port
        }
        let reader = try TestProcess(tshark, [
            "-r", capture, "-d", "tcp.port==\(port),rtmpt", "-Y", "rtmpt", "-T", "fields", "-e", "_ws.col.Info",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        let info = reader.output
        for message in ["Stream Begin 1", "onStatus('NetStream.Play.Reset')", "onStatus('NetStream.Play.Start')",
                        "onMetaData()", "Stream EOF 1", "onStatus('NetStream.Play.Stop')"] {
            #expect(info.contains(message), "\(message) not dissected:\n\(info)")
        }
        // One sequence header and ten pictures (1 s at 10 per second).
        let videos = info.split(separator: "\n").map { $0.split(separator: "|").filter { $0 == "Video Data" }.count }.reduce(0, +)
        #expect(videos == 11, "\(info)")
    }

    /// Our client playing to the first frame (`connect --play`), captured and dissected: what it asks
    /// after the connect is what ffmpeg asks (createStream, play of the name, Set Buffer Length 3000 ms
    /// on the stream it got), the server's Play.Start and video reach it, and through the tunnel it
    /// says goodbye with `/close` once the frame came.
    @Test(.enabled(if: InteropEnvironment.canCapture, "tshark is missing or cannot capture on loopback (needs root)"),
          arguments: [ServedProtocol.rtmp, .rtmpt])
    func dissectsOurClientsPlay(over transport: ServedProtocol) async throws {
        let tshark = try InteropEnvironment.require("tshark")
        let folder = try TemporaryFolder()
        let capture = folder.path("client-play.pcapng")
        let configuration = LiveServerConfiguration(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)], session: .init(playableStreams: nil, media: .synthetic(SyntheticVideo())))
        let (port, result) = try await LiveServer.serving(configuration) { server in
            let port = server.ports[0]
            // The settle leaves time for the tunnel's /close exchange, which follows the result.
            let result = try await Self.captured(
                by: tshark, port: port, into: capture, transport: transport,
                options: .init(timeout: .seconds(20), play: "x"), settle: .milliseconds(500))
            return (port, result)
        }
        let played = try #require(result)
        #expect(played.achieved, "\(played.summary)")

        let decodeAs = transport == .rtmp ? "tcp.port==\(port),rtmpt" : "tcp.port==\(port),http"
        let reader = try TestProcess(tshark, [
            "-r", capture, "-d", decodeAs, "-Y", "rtmpt || http.request", "-T", "fields", "-E", "separator=|",
            "-e", "tcp.dstport", "-e", "http.request.uri", "-e", "_ws.col.Info",
        ])
        _ = await reader.waitForExit(timeout: .seconds(30))
        await reader.stop()
        let rows = reader.output.split(separator: "\n")
        let toServer = rows.filter { $0.hasPrefix("\(port)|") }.joined(separator: "\n")
        let fromServer = rows.filter { !$0.hasPrefix("\(port)|") }.joined(separator: "\n")
        for message in ["createStream()", "play('x')", "Set Buffer Length 1,3000ms"] {
            #expect(toServer.contains(message), "\(message) not dissected from the client:\n\(reader.output)")
        }
        for message in ["_result()", "onStatus('NetStream.Play.Start')", "Video Data"] {
            #expect(fromServer.contains(message), "\(message) not dissected from the server:\n\(reader.output)")
        }
        #expect(toServer.contains("/close/") == (transport == .rtmpt), "\(reader.output)")
    }
}
