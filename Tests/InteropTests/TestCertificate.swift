import Foundation
import TestSupport

/// A certificate and key made by openssl for one test (P-256, self-signed, for localhost and
/// 127.0.0.1): what `serve --certificate/--key`, nginx's TLS and `connect --ca-file` are given, so
/// that our loader reads files another tool wrote.
struct TestCertificate {
    let certificate: String
    let key: String
    let folder: TemporaryFolder

    static func make() async throws -> TestCertificate {
        let openssl = try InteropEnvironment.require("openssl")
        let folder = try TemporaryFolder()
        let certificate = folder.path("server.pem")
        let key = folder.path("server.key")
        let made = try await TestProcess.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ], limit: .seconds(30))
        guard made.status == 0 else { throw Failure(output: made.output + made.errors) }
        return TestCertificate(certificate: certificate, key: key, folder: folder)
    }

    /// The certificate's SHA-256 fingerprint as openssl prints it (`AB:CD:…`).
    func fingerprint() async throws -> String {
        let openssl = try InteropEnvironment.require("openssl")
        let printed = try await TestProcess.run(openssl, ["x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"])
        // sha256 Fingerprint=AB:CD:…
        guard let value = printed.output.split(separator: "=").last else { throw Failure(output: printed.output) }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct Failure: Error, CustomStringConvertible {
        let output: String
        var description: String { "openssl could not make a test certificate:\n\(output)" }
    }
}
