import NIOCore
import NIOSSL

/// The client side of RTMPS for one run or one `connect`: a TLS context made once (BoringSSL loads
/// the trust roots then, not per attempt), a handler per connection, and the words for a failed
/// handshake.
package struct TLSClient: Sendable {
    package let trust: TLSClientTrust
    private let context: NIOSSLContext

    /// A context with BoringSSL's defaults (TLS 1.2 and 1.3), trusting `trust`. Host names are
    /// verified as a player would (the URL's host, or the address connected to for an IP literal),
    /// except with `.insecure`.
    package init(trust: TLSClientTrust) throws(TLSClientError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system:
            configuration.trustRoots = .default
        case .caFile(let path):
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(path)
            } catch {
                throw .caFile(path: path, reason: "not a PEM file of certificates, or it cannot be read")
            }
            guard !certificates.isEmpty else { throw .caFile(path: path, reason: "holds no certificate") }
            configuration.trustRoots = .certificates(certificates)
        case .certificates(let certificates):
            configuration.trustRoots = .certificates(certificates)
        case .insecure:
            configuration.certificateVerification = .none
        }
        self.trust = trust
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .context("\(error)")
        }
    }

    /// NIOSSL's client handler for a connection to `host`: SNI carries a host name (never an IP
    /// literal, which TLS forbids there; the certificate is then checked against the address).
    package func handler(host: String) throws -> NIOSSLClientHandler {
        let sni = TLSIdentity.addressBytes(host) == nil ? host : nil
        return try NIOSSLClientHandler(context: context, serverHostname: sni)
    }

    /// Why a handshake failed, in words that say what to do: an untrusted certificate names the
    /// trust that was used and the flags that change it.
    package func explain(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("CERTIFICATE_VERIFY_FAILED") {
            switch trust {
            case .system:
                return "TLS: the server's certificate is not trusted by the system trust store (CERTIFICATE_VERIFY_FAILED); "
                    + "a self-signed certificate, as serve makes by default, never is: give --ca-file PEM (the server's "
                    + "certificate or its CA) or --insecure"
            case .caFile, .certificates, .insecure:
                return "TLS: the server's certificate is not trusted by \(trust.name) (CERTIFICATE_VERIFY_FAILED)"
            }
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return "TLS: the server's certificate does not name this host (\(text))"
        }
        return "TLS: \(text)"
    }

    /// Whether `error` came from TLS (the handshake or a record), not from the socket.
    package static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}
