import NIOSSL

/// Whom an `rtmps://` client believes: the `connect` verb's `--ca-file`/`--insecure`, or the live
/// player's own scenario server.
package enum TLSClientTrust: Sendable {
    /// The system's trust store, as a player on a user's machine: a self-signed server (the
    /// default of `serve`) fails the handshake.
    case system
    /// The certificates of a PEM file: a CA, or the server's own self-signed certificate.
    case caFile(String)
    /// Exactly these certificates: the live player trusts the certificate its scenario server made.
    case certificates([NIOSSLCertificate])
    /// No verification (`--insecure`), as ffmpeg and librtmp do by default: any certificate, any name.
    case insecure

    /// How the trust is named in a failure, so that the reader knows what was tried.
    var name: String {
        switch self {
        case .system: "the system trust store"
        case .caFile(let path): "--ca-file \(path)"
        case .certificates: "the scenario server's certificate"
        case .insecure: "no verification"
        }
    }
}
