import Foundation
import Testing
@testable import RTMP
import TestSupport

/// Our handshake bytes against real peers: nginx-rtmp as the server our client talks to, ffmpeg as the
/// client whose validating path our server must satisfy. Only the handshake is exchanged here; full
/// sessions over sockets are the LiveNet interop tests.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct HandshakeInteropTests {
    /// Runs nginx with the rtmp module on a free loopback port.
    static func startNginx() throws -> (TestProcess, UInt16, TemporaryFolder) {
        let nginx = try #require(PeerTool.nginx.path, Comment(rawValue: PeerTool.nginx.missingMessage))
        let module = try #require(
            PeerTool.nginxRTMPModule, "the nginx rtmp module (ngx_rtmp_module.so) is not installed; set NGINX_RTMP_MODULE"
        )
        let folder = try TemporaryFolder("fallbacklab-nginx")
        let directory = folder.url
        let port = try LoopbackSocket.freePort()
        let config = """
            load_module \(module);
            daemon off;
            master_process off;
            pid \(directory.path)/nginx.pid;
            error_log stderr info;
            events {}
            rtmp { server { listen 127.0.0.1:\(port); application live { live on; } } }
            """
        try config.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let process = try TestProcess(
            nginx, ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path, "-e", "stderr"])
        return (process, port, folder)
    }

    @Test(
        .enabled(if: PeerTool.nginx.shouldRun, "nginx is not installed: the nginx-rtmp handshake is not verified"),
        arguments: HandshakeDigestScheme.allCases
    )
    func ourDigestClientIsAnsweredAndVerifiedByNginx(scheme: HandshakeDigestScheme) throws {
        let (nginx, port, folder) = try Self.startNginx()
        defer { nginx.terminate(); withExtendedLifetime(folder) {} }
        let socket = try LoopbackSocket.connect(port: port)
        var client = RTMPHandshakeClient(mode: .digest, seed: 0xD16E57, epoch: 1234, digestScheme: scheme)
        let c0c1 = client.start()
        try socket.write(c0c1)
        let reply = try socket.read(exactly: 3073, timeoutMilliseconds: 5000)
        guard case .completed(let c2, let verified, let leftover) = client.received(reply[...]) else {
            Issue.record("client did not complete; nginx said:\n\(nginx.output)")
            return
        }
        #expect(verified, "nginx's S1 digest and S2 signature must verify; nginx said:\n\(nginx.output)")
        #expect(leftover.isEmpty)
        #expect(Array(reply[5...8]) == [0x0D, 0x0E, 0x0A, 0x0D], "nginx's server version")
        try socket.write(c2)
        // nginx keeps the connection open waiting for chunks: no close within a short while means it
        // accepted C2 (it never validates it, but it must not choke on it).
        let after = try socket.read(upTo: 64, timeoutMilliseconds: 300)
        #expect(after.isEmpty)
    }

    @Test(.enabled(if: PeerTool.nginx.shouldRun, "nginx is not installed: the nginx-rtmp handshake is not verified"))
    func ourPlainClientGetsNginxsEcho() throws {
        let (nginx, port, folder) = try Self.startNginx()
        defer { nginx.terminate(); withExtendedLifetime(folder) {} }
        let socket = try LoopbackSocket.connect(port: port)
        var client = RTMPHandshakeClient(mode: .plain, seed: 99)
        let c0c1 = client.start()
        try socket.write(c0c1)
        let reply = try socket.read(exactly: 3073, timeoutMilliseconds: 5000)
        guard case .completed(let c2, let verified, _) = client.received(reply[...]) else {
            Issue.record("client did not complete; nginx said:\n\(nginx.output)")
            return
        }
        #expect(verified == false)
        #expect(Array(reply[1537...]) == Array(c0c1[1...]), "S2 = C1")
        #expect(c2 == Array(reply[1...1536]))
        try socket.write(c2)
    }

    @Test(.enabled(if: PeerTool.ffmpeg.shouldRun, "ffmpeg is not installed: ffmpeg's validating path is not verified"))
    func ffmpegPlayingValidatesOurServerAndSignsItsC2() throws {
        let ffmpeg = try #require(PeerTool.ffmpeg.path, Comment(rawValue: PeerTool.ffmpeg.missingMessage))
        let (listener, port) = try LoopbackSocket.listen()
        let process = try TestProcess(
            ffmpeg, [
                "-hide_banner", "-nostdin", "-loglevel", "debug", "-rw_timeout", "5000000",
                "-i", "rtmp://127.0.0.1:\(port)/live/x", "-t", "1", "-f", "null", "-",
            ])
        defer { process.terminate() }
        let connection = try listener.accept(timeoutMilliseconds: 10000)
        var server = RTMPHandshakeServer(seed: 0x5E7, epoch: 0)
        let c0c1 = try connection.read(exactly: 1537, timeoutMilliseconds: 5000)
        #expect(Array(c0c1[5...8]) == [0x09, 0x00, 0x7C, 0x02], "ffmpeg's client version")
        guard case .reply(let reply) = server.received(c0c1[...]) else {
            Issue.record("server did not reply to ffmpeg's C0+C1")
            return
        }
        try connection.write(reply)
        // ffmpeg sends C2 only if our S1 digest and S2 signature passed; then its connect follows.
        let c2: [UInt8]
        do {
            c2 = try connection.read(exactly: 1536, timeoutMilliseconds: 5000)
        } catch {
            Issue.record("ffmpeg sent no C2 (\(error)); ffmpeg said:\n\(process.output)")
            return
        }
        guard case .completed(_, let usedDigest) = server.received(c2[...]) else {
            Issue.record("server did not complete on C2")
            return
        }
        #expect(usedDigest)
        let s1 = Array(reply[1...1536])
        let s1Digest = try #require(HandshakeDigest.find(in: s1, key: HandshakeDigest.serverKeyPartial))
        let c2Key = HandshakeDigest.responseKey(peerDigest: s1Digest.digest, fullKey: HandshakeDigest.playerKeyFull)
        #expect(HandshakeDigest.verifyResponse(c2, responseKey: c2Key), "ffmpeg signs C2 over our S1 digest")
        let connect = try connection.read(upTo: 4096, timeoutMilliseconds: 5000)
        #expect(connect.first == 0x03, "ffmpeg's connect arrives on chunk stream 3")
        let text = String(decoding: connect, as: UTF8.self)
        #expect(text.contains("connect"))
        process.terminate()
        let log = process.output
        #expect(!log.contains("validating failed"), "\(log)")
        #expect(!log.contains("Signature mismatch"), "\(log)")
    }
}
