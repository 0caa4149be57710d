import Connector
import Foundation
import LiveNet
import Testing
import TestSupport

/// RTMPS with real TLS stacks on the other side: ffmpeg (GnuTLS) playing from `serve --media
/// synthetic`, our client against nginx-rtmp behind nginx's own TLS terminator (OpenSSL), and the
/// command line's certificate flags.
@Suite("Interop: RTMPS with ffmpeg, nginx and the command line", .timeLimit(.minutes(5)))
struct RTMPSInteropTests {
    /// ffmpeg does not verify certificates unless told to (`-tls_verify 1`), as players in the field
    /// mostly do not: it plays from serve's self-signed default and decodes ten pictures.
    @Test(.enabled(if: InteropEnvironment.canRun("ffmpeg") && (InteropEnvironment.isCI || CommandLineTests.executable != nil),
                   "ffmpeg or the fallback-lab executable is missing"))
    func ffmpegDecodesTenFramesFromServeOverRTMPS() async throws {
        let ffmpeg = try InteropEnvironment.require("ffmpeg")
        let (server, ports) = try await CommandLineTests.serve(["--listen", "127.0.0.1:0", "--media", "synthetic"], ports: 1)
        let finished: TestProcess.Finished
        do {
            finished = try await TestProcess.run(ffmpeg, [
                "-nostdin", "-hide_banner", "-v", "error", "-rw_timeout", "10000000", "-analyzeduration", "1000000",
                "-i", "rtmps://127.0.0.1:\(ports[0])/live/x", "-frames:v", "10", "-f", "framemd5", "-",
            ], limit: .seconds(60))
        } catch {
            await server.stop()
            throw error
        }
        _ = await server.waitForOutput(containing: "via rtmps", timeout: .seconds(5))
        let status = await server.stop(signal: SIGTERM, grace: .seconds(5))

        #expect(finished.status == 0, "\(finished.errors)")
        #expect(finished.errors.isEmpty, "ffmpeg complained: \(finished.errors)")
        let frames = finished.output.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(frames.count == 10, "\(finished.output)")
        #expect(finished.output.contains("#dimensions 0: 64x48"), "\(finished.output)")
        // The server saw ffmpeg's connect inside TLS, with ffmpeg's own tcUrl.
        #expect(server.output.contains("tcUrl=rtmps://127.0.0.1:\(ports[0])/live via rtmps"), "\(server.output)")
        #expect(status == 0, "\(server.output)")
    }

    /// nginx-rtmp speaks no TLS; nginx's stream module terminates it in front (as a CDN edge would),
    /// with a certificate openssl made, which our client is given as its CA file.
    @Test(.enabled(if: InteropEnvironment.canRun("nginx", "openssl"), "nginx or openssl is not installed"))
    func ourClientReachesNginxRTMPBehindNginxsTLSTerminator() async throws {
        let certificate = try await TestCertificate.make()
        let port = try LoopbackPorts.free()
        var tlsPort = try LoopbackPorts.free()
        for _ in 0..<20 where tlsPort == port { tlsPort = try LoopbackPorts.free() }
        let nginx = try await NginxRTMP.start(
            port: port, tls: (tlsPort, certificate.certificate, certificate.key))
        let url = try ConnectURL(parsing: "rtmps://127.0.0.1:\(tlsPort)/live")
        let trusted = await LiveClient(options: .init(timeout: .seconds(20), trust: .caFile(certificate.certificate)))
            .connect(to: url)
        let untrusted = await LiveClient(options: .init(timeout: .seconds(20))).connect(to: url)
        let logged = await nginx.process.waitForOutput(containing: "connect: app='live'", timeout: .seconds(5))
        await nginx.stop()

        #expect(trusted.succeeded, "\(trusted.summary)\nnginx:\n\(nginx.process.output)")
        #expect(trusted.tlsEstablished != nil && trusted.handshakeDone != nil && trusted.connectResult != nil)
        #expect(trusted.serverDigestVerified == true)
        #expect(logged, "nginx did not log the connect:\n\(nginx.process.output)")
        #expect(nginx.process.output.contains("tc_url='rtmps://127.0.0.1:\(tlsPort)/live'"), "\(nginx.process.output)")
        // The same server without the CA file: the system store does not know openssl's certificate.
        #expect(!untrusted.succeeded)
        #expect(untrusted.reason.contains("not trusted by the system trust store"), "\(untrusted.summary)")
    }

    /// `serve --certificate/--key` with openssl's files: the certificate line carries the same
    /// fingerprint openssl prints, and `connect --ca-file` with the certificate connects; the
    /// default self-signed server is refused without a CA file (exit 1, the reason says what to do)
    /// and reached with --insecure.
    @Test(.enabled(if: InteropEnvironment.canRun("openssl") && (InteropEnvironment.isCI || CommandLineTests.executable != nil),
                   "openssl or the fallback-lab executable is missing"))
    func serveAndConnectTakeCertificatesFromTheCommandLine() async throws {
        let certificate = try await TestCertificate.make()
        let fingerprint = try await certificate.fingerprint()
        let (loaded, loadedPorts) = try await CommandLineTests.serve(
            ["--listen", "127.0.0.1:0", "--certificate", certificate.certificate, "--key", certificate.key], ports: 1)
        let trusted = try await CommandLineTests.run(
            ["connect", "rtmps://127.0.0.1:\(loadedPorts[0])/live", "--ca-file", certificate.certificate, "--timeout", "20s"])
        await loaded.stop()
        #expect(loaded.output.contains("tls certificate \(certificate.certificate), sha256 \(fingerprint)\n"), "\(loaded.output)")
        #expect(trusted.status == 0, "\(trusted.output)")
        #expect(trusted.output.hasPrefix("connected rtmps://127.0.0.1:\(loadedPorts[0])/live in "), "\(trusted.output)")
        #expect(trusted.output.contains(", tls "), "\(trusted.output)")

        let (generated, ports) = try await CommandLineTests.serve(["--listen", "127.0.0.1:0"], ports: 1)
        let refused = try await CommandLineTests.run(["connect", "rtmps://127.0.0.1:\(ports[0])/live", "--timeout", "20s"])
        let insecure = try await CommandLineTests.run(
            ["connect", "rtmps://127.0.0.1:\(ports[0])/live", "--insecure", "--timeout", "20s"])
        await generated.stop()
        #expect(generated.output.contains("tls certificate self-signed for localhost, 127.0.0.1, ::1, sha256 "), "\(generated.output)")
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("not trusted by the system trust store"), "\(refused.output)")
        #expect(refused.output.contains("--ca-file") && refused.output.contains("--insecure"), "\(refused.output)")
        #expect(insecure.status == 0, "\(insecure.output)")
    }

    /// Bad certificate flags are usage errors (exit 64) that name the flag and the file, before
    /// anything listens, as a bad --media file is.
    @Test(.enabled(if: InteropEnvironment.canRun("openssl") && (InteropEnvironment.isCI || CommandLineTests.executable != nil),
                   "openssl or the fallback-lab executable is missing"))
    func badCertificateFlagsAreUsageErrors() async throws {
        let certificate = try await TestCertificate.make()
        let other = try await TestCertificate.make()
        let missing = certificate.folder.path("missing.pem")
        let cases: [([String], String)] = [
            (["--certificate", missing, "--key", certificate.key], "--certificate \(missing): no such file"),
            (["--certificate", certificate.key, "--key", certificate.key], "not a PEM certificate"),
            (["--certificate", certificate.certificate, "--key", certificate.certificate], "--key \(certificate.certificate): not a PEM private key"),
            (["--certificate", certificate.certificate, "--key", other.key], "is not the private key of the certificate"),
            (["--certificate", certificate.certificate], "--certificate needs --key"),
        ]
        for (flags, message) in cases {
            let served = try await CommandLineTests.run(["serve", "--listen", "127.0.0.1:0"] + flags)
            #expect(served.status == 64, "\(flags): \(served.output)")
            #expect(served.output.contains(message), "\(flags): \(served.output)")
            #expect(!served.output.contains("listening"), "\(flags): \(served.output)")
        }
        let connect = try await CommandLineTests.run(["connect", "rtmps://127.0.0.1:1/live", "--ca-file", missing])
        #expect(connect.status == 64, "\(connect.output)")
        #expect(connect.output.contains("--ca-file \(missing)"), "\(connect.output)")
        let plain = try await CommandLineTests.run(["connect", "rtmp://127.0.0.1:1/live", "--insecure"])
        #expect(plain.status == 64, "\(plain.output)")
        #expect(plain.output.contains("--insecure only applies to rtmps:// URLs"), "\(plain.output)")
    }
}
