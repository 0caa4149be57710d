import Connector
import RTMP
import Testing
import TestSupport

import LiveNet
import RunCore

/// RTMPS on loopback: our server terminating TLS with its own self-signed certificate, our client
/// trusting it (or not), and the same port still answering RTMP and RTMPT.
@Suite("RTMPS: LiveClient against LiveServer over TLS", .timeLimit(.minutes(5)))
struct RTMPSTests {
    static func serve(
        tls: TLSIdentity?, _ body: (Int, ServerEventLog) async throws -> Void
    ) async throws {
        let log = ServerEventLog()
        let configuration = LiveServerConfiguration(listen: [ListenAddress(host: "127.0.0.1", port: 0)], tls: tls)
        try await LiveServer.serving(configuration, observer: { log.record($0) }) { server in
            try await body(server.ports[0], log)
        }
    }

    static func connect(_ url: String, trust: TLSClientTrust) async throws -> LiveConnectResult {
        await LiveClient(options: .init(timeout: .seconds(20), trust: trust)).connect(to: try ConnectURL(parsing: url))
    }

    static func identity() throws -> TLSIdentity {
        try TLSIdentity.selfSigned(names: ["localhost", "127.0.0.1", "::1"])
    }

    @Test func aClientTrustingTheServersCertificateConnectsAndTheServerSeesRTMPS() async throws {
        let identity = try Self.identity()
        try await Self.serve(tls: identity) { port, log in
            let result = try await Self.connect(
                "rtmps://127.0.0.1:\(port)/live", trust: .certificates(identity.certificateChain))
            #expect(result.succeeded, "\(result.summary)")
            let tcp = try #require(result.tcpConnected)
            let tls = try #require(result.tlsEstablished)
            let handshake = try #require(result.handshakeDone)
            #expect(tcp <= tls && tls <= handshake)
            #expect(result.summary.contains("(tcp ") && result.summary.contains(", tls "), "\(result.summary)")
            #expect(await log.waitForConnects(1, timeout: .seconds(2)))
            #expect(log.connects.first?.via == .rtmps)
            #expect(log.connects.first?.tcUrl == "rtmps://127.0.0.1:\(port)/live")
            #expect(log.all.contains { $0.kind == .detected(.rtmps) })
        }
    }

    /// By name too: `localhost` goes out as SNI and is checked against the certificate's names.
    @Test func theHostNameIsVerifiedAgainstTheCertificate() async throws {
        let identity = try Self.identity()
        let other = try TLSIdentity.selfSigned(names: ["media.example.com"])
        try await Self.serve(tls: other) { port, _ in
            // Trusted, but for another name: a player refuses it.
            let result = try await Self.connect(
                "rtmps://localhost:\(port)/live", trust: .certificates(other.certificateChain))
            #expect(!result.succeeded, "\(result.summary)")
            #expect(result.reason.contains("TLS"), "\(result.summary)")
        }
        try await Self.serve(tls: identity) { port, _ in
            let result = try await Self.connect(
                "rtmps://localhost:\(port)/live", trust: .certificates(identity.certificateChain))
            #expect(result.succeeded, "\(result.summary)")
        }
    }

    /// The system's store does not hold a certificate made a moment ago: the failure says so and
    /// says what to do.
    @Test func theSystemTrustStoreRefusesASelfSignedServerAndTheReasonSaysWhatToDo() async throws {
        try await Self.serve(tls: try Self.identity()) { port, log in
            let result = try await Self.connect("rtmps://127.0.0.1:\(port)/live", trust: .system)
            #expect(!result.succeeded)
            guard case .ended(.failed(.protocolError(let reason))) = result.outcome else {
                Issue.record("expected a TLS protocol error: \(result.summary)")
                return
            }
            #expect(reason.contains("not trusted by the system trust store"), "\(reason)")
            #expect(reason.contains("--ca-file") && reason.contains("--insecure"), "\(reason)")
            #expect(result.tlsEstablished == nil && result.handshakeDone == nil)
            // The client's alert reaches the server, which logs why the connection ended.
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline, !log.all.contains(where: Self.isTLSError) {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(log.all.contains(where: Self.isTLSError), "\(log.all)")
        }
    }

    @Test func insecureConnectsToAnyCertificate() async throws {
        try await Self.serve(tls: try TLSIdentity.selfSigned(names: ["media.example.com"])) { port, _ in
            let result = try await Self.connect("rtmps://127.0.0.1:\(port)/live", trust: .insecure)
            #expect(result.succeeded, "\(result.summary)")
        }
    }

    /// TLS is one more protocol the port sniffs: RTMP and RTMPT still answer beside it.
    @Test(arguments: [ServedProtocol.rtmp, .rtmpt])
    func thePlainProtocolsStillAnswerOnATLSPort(_ transport: ServedProtocol) async throws {
        try await Self.serve(tls: try Self.identity()) { port, log in
            let result = try await Self.connect("\(transport.rawValue)://127.0.0.1:\(port)/live", trust: .system)
            #expect(result.succeeded, "\(result.summary)")
            #expect(result.tlsEstablished == nil)
            #expect(await log.waitForConnects(1, timeout: .seconds(2)))
            #expect(log.connects.first?.via == transport)
        }
    }

    /// Without a certificate the server refuses a ClientHello as any server without TLS would: it
    /// closes, and says why in its log.
    @Test func aServerWithoutACertificateRefusesTLS() async throws {
        try await Self.serve(tls: nil) { port, log in
            let result = try await Self.connect("rtmps://127.0.0.1:\(port)/live", trust: .insecure)
            #expect(!result.succeeded, "\(result.summary)")
            #expect(log.all.contains { $0.kind == .unsupported("TLS (RTMPS) is not served on this port") }, "\(log.all)")
        }
    }

    private static func isTLSError(_ event: ServerEvent) -> Bool {
        if case .protocolError(let reason) = event.kind { return reason.hasPrefix("TLS: ") }
        return false
    }
}
