import Connector
import RTMP
import Testing
import TestSupport

import LiveNet
import RunCore

/// Our client against our server on loopback, one server behaviour at a time.
@Suite("LiveClient against LiveServer", .timeLimit(.minutes(5)))
struct LiveClientTests {
    static func serve(
        _ behavior: RTMPServerSession.Behavior, delay: Duration = .zero,
        _ body: (Int, ServerEventLog) async throws -> Void
    ) async throws {
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(
            listen: [ListenAddress(host: "127.0.0.1", port: 0)], session: .init(behavior: behavior, delay: delay))
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            try await body(server.ports[0], log)
        }
    }

    static func connect(
        _ port: Int, over transport: ServedProtocol = .rtmp, timeout: Duration = .seconds(20),
        handshake: HandshakeMode = .digest
    ) async throws -> LiveConnectResult {
        let url = try ConnectURL(parsing: "\(transport.rawValue)://127.0.0.1:\(port)/live")
        return await LiveClient(options: .init(timeout: timeout, handshakeMode: handshake)).connect(to: url)
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt], [HandshakeMode.digest, .plain])
    func acceptedConnectRecordsEveryPhaseInOrder(over transport: ServedProtocol, handshake: HandshakeMode) async throws {
        try await Self.serve(.accept) { port, log in
            let result = try await Self.connect(port, over: transport, handshake: handshake)
            #expect(result.succeeded, "\(result.summary)")
            let tcp = try #require(result.tcpConnected)
            let handshakeDone = try #require(result.handshakeDone)
            let connect = try #require(result.connectResult)
            #expect(tcp <= handshakeDone && handshakeDone <= connect && connect <= result.elapsed)
            switch transport {
            case .rtmp:
                #expect(result.tunnelOpened == nil)
            case .rtmpt:
                let tunnel = try #require(result.tunnelOpened)
                #expect(tcp <= tunnel && tunnel <= handshakeDone)
            case .rtmps:
                Issue.record("rtmps needs a certificate: RTMPSTests covers it; not among the arguments")
            }
            // Our server signs S2 for a digest client only.
            #expect(result.serverDigestVerified == (handshake == .digest))
            #expect(result.url == "\(transport.rawValue)://127.0.0.1:\(port)/live")
            #expect(await log.waitForConnects(1, timeout: .seconds(2)))
            #expect(log.connects.first?.via == transport)
            #expect(log.connects.first?.tcUrl == "\(transport.rawValue)://127.0.0.1:\(port)/live")
            #expect(log.connects.first?.flashVer == LiveClientOptions.defaultFlashVer)
            #expect(log.all.contains { $0.kind == .handshakeCompleted(clientUsedDigest: handshake == .digest) })
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func rejectionCarriesTheServersDescription(over transport: ServedProtocol) async throws {
        try await Self.serve(.reject(description: "No entry.")) { port, _ in
            let result = try await Self.connect(port, over: transport)
            #expect(result.outcome == .ended(.failed(.rejected("No entry."))))
            #expect(result.connectResult != nil)
            #expect(result.summary.contains(": rejected: No entry. in "))
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func redirectCarriesTheURL(over transport: ServedProtocol) async throws {
        try await Self.serve(.redirect(url: "rtmp://edge.example.com/live")) { port, _ in
            let result = try await Self.connect(port, over: transport)
            #expect(result.outcome == .ended(.redirected(to: "rtmp://edge.example.com/live")))
            #expect(result.reason == "redirect: rtmp://edge.example.com/live")
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func closeAfterHandshakeIsClosedWithTheHandshakeDone(over transport: ServedProtocol) async throws {
        try await Self.serve(.closeAfterHandshake) { port, log in
            let result = try await Self.connect(port, over: transport)
            #expect(result.outcome == .ended(.failed(.closed)), "\(result.summary)\nserver: \(log.all)")
            #expect(result.handshakeDone != nil)
            #expect(result.connectResult == nil)
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func aSilentServerEndsInTheCallersTimeoutAndNotBefore(over transport: ServedProtocol) async throws {
        try await Self.serve(.silent) { port, log in
            // Long enough for the handshake and connect to get through even on a loaded machine
            // (RTMPT polls every 50 ms; debug builds hash slowly), so the timeout is what ends it.
            let result = try await Self.connect(port, over: transport, timeout: .seconds(3))
            #expect(result.reason == "timeout", "\(result.summary)")
            #expect(result.elapsed >= .seconds(3))
            #expect(result.elapsed < .seconds(6))
            #expect(result.handshakeDone != nil && result.connectResult == nil)
            #expect(await log.waitForConnects(1, timeout: .seconds(2)))
        }
    }

    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func theThinkTimeDelaysTheResult(over transport: ServedProtocol) async throws {
        try await Self.serve(.accept, delay: .milliseconds(200)) { port, _ in
            let result = try await Self.connect(port, over: transport)
            #expect(result.succeeded)
            let handshakeDone = try #require(result.handshakeDone)
            let connect = try #require(result.connectResult)
            #expect(connect - handshakeDone >= .milliseconds(200))
        }
    }

    @Test func nothingListeningIsRefused() async throws {
        let reserved = try ReservedPort()
        let port = reserved.port
        let result = try await Self.connect(port)
        withExtendedLifetime(reserved) {}
        #expect(result.outcome == .ended(.failed(.refused)))
        #expect(result.tcpConnected == nil)
        #expect(result.summary.hasPrefix("failed rtmp://127.0.0.1:\(port)/live: refused in "))
    }

    @Test func unsupportedSchemesFailWithoutConnecting() async throws {
        let url = try ConnectURL(parsing: "rtmpe://127.0.0.1:1/live")
        let result = await LiveClient().connect(to: url)
        #expect(result.outcome == .failed("rtmpe is not supported by the live client"))
    }
}
