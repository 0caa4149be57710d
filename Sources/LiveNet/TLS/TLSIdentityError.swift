/// Why the server's TLS identity could not be had. Each case names the flag and the file, so that
/// `serve` can say exactly what to fix (a usage error, exit 64, like a bad `--media` file).
package enum TLSIdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(flag: String, path: String)
    /// The file holds no PEM object of the expected kind (`what`).
    case notPEM(flag: String, path: String, what: String)
    /// The key is not the certificate's (BoringSSL refused the pair).
    case mismatch(certificatePath: String, keyPath: String)
    /// Making a self-signed certificate failed (not expected: the inputs are our own).
    case generation(String)

    package var description: String {
        switch self {
        case .unreadable(let flag, let path): "\(flag) \(path): no such file, or it cannot be read"
        case .notPEM(let flag, let path, let what): "\(flag) \(path): not \(what)"
        case .mismatch(let certificate, let key):
            "--key \(key) is not the private key of the certificate in --certificate \(certificate)"
        case .generation(let reason): "cannot make a self-signed certificate: \(reason)"
        }
    }
}
