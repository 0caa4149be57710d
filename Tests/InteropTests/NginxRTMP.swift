import Foundation
import TestSupport

/// nginx with the rtmp module, configured in a temporary prefix for one test.
///
/// `daemon off` and `master_process off` keep it a single child process that the test can stop and
/// reap; `error_log stderr info` puts its `connect: app='…'` lines where the test reads them.
struct NginxRTMP {
    /// Where distributions install the rtmp module; `NGINX_RTMP_MODULE` overrides.
    static func modulePath() -> String? {
        installedModule("ngx_rtmp_module.so", override: "NGINX_RTMP_MODULE")
    }

    /// Where Debian puts the stream module (libnginx-mod-stream), whose `ssl` listener terminates
    /// TLS in front of the rtmp server: RTMPS as a CDN's TLS terminator serves it.
    /// `NGINX_STREAM_MODULE` overrides.
    static func streamModulePath() -> String? {
        installedModule("ngx_stream_module.so", override: "NGINX_STREAM_MODULE")
    }

    /// A dynamic module's path: the environment variable's value, or the first of the folders
    /// distributions install nginx modules in that holds the file.
    private static func installedModule(_ file: String, override variable: String) -> String? {
        if let path = ProcessInfo.processInfo.environment[variable] { return path }
        return ["/usr/lib/nginx/modules", "/usr/lib64/nginx/modules", "/usr/local/lib/nginx/modules"]
            .map { "\($0)/\(file)" }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// TLS in front of the rtmp server: a stream server on `port` with the certificate and key,
    /// passing the plaintext to the rtmp port.
    struct TLSTerminator {
        let port: Int
        let certificate: String
        let key: String
        let modulePath: String
    }

    /// The configuration text: one server on `127.0.0.1:port` with application `app`, and a TLS
    /// terminator in front of it when asked.
    static func configuration(
        prefix: String, port: Int, app: String, modulePath: String, tls: TLSTerminator? = nil
    ) -> String {
        let stream = tls.map { tls in
            """
            stream {
                server {
                    listen 127.0.0.1:\(tls.port) ssl;
                    ssl_certificate \(tls.certificate);
                    ssl_certificate_key \(tls.key);
                    proxy_pass 127.0.0.1:\(port);
                }
            }

            """
        } ?? ""
        let streamModule = tls.map { "load_module \($0.modulePath);\n" } ?? ""
        return """
        load_module \(modulePath);
        \(streamModule)daemon off;
        master_process off;
        pid \(prefix)/nginx.pid;
        error_log stderr info;
        events { worker_connections 64; }
        rtmp {
            server {
                listen 127.0.0.1:\(port);
                application \(app) { live on; }
            }
        }
        \(stream)
        """
    }

    let prefix: URL
    let port: Int
    let process: TestProcess

    /// Writes the configuration under a fresh temporary directory and starts nginx on `port` (and
    /// its TLS terminator on `tls`'s port, given the certificate and key files); returns once the
    /// ports listen (bounded by `timeout`).
    static func start(
        port: Int, app: String = "live", tls: (port: Int, certificate: String, key: String)? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> NginxRTMP {
        let nginx = try InteropEnvironment.require("nginx")
        guard let module = modulePath() else {
            throw InteropEnvironment.MissingPeer(name: "the nginx rtmp module (libnginx-mod-rtmp)")
        }
        var terminator: TLSTerminator?
        if let tls {
            guard let stream = streamModulePath() else {
                throw InteropEnvironment.MissingPeer(name: "the nginx stream module (libnginx-mod-stream)")
            }
            terminator = TLSTerminator(port: tls.port, certificate: tls.certificate, key: tls.key, modulePath: stream)
        }
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-rtmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
        let config = prefix.appendingPathComponent("nginx.conf")
        try configuration(prefix: prefix.path, port: port, app: app, modulePath: module, tls: terminator)
            .write(to: config, atomically: true, encoding: .utf8)
        let process = try TestProcess(nginx, ["-p", prefix.path, "-c", config.path])
        let server = NginxRTMP(prefix: prefix, port: port, process: process)
        var listening = await LoopbackPorts.waitUntilListening(port, timeout: timeout)
        if listening, let tls { listening = await LoopbackPorts.waitUntilListening(tls.port, timeout: timeout) }
        guard listening else {
            await server.stop()
            throw StartFailure(output: process.output)
        }
        return server
    }

    /// Stops nginx, reaps it, and removes its prefix.
    func stop() async {
        await process.stop(signal: SIGQUIT)
        try? FileManager.default.removeItem(at: prefix)
    }

    struct StartFailure: Error, CustomStringConvertible {
        let output: String
        var description: String { "nginx did not start listening:\n\(output)" }
    }
}
