/// Why an `rtmps://` client could not be set up: a bad `--ca-file` (a usage error, exit 64) or a
/// context BoringSSL refused.
package enum TLSClientError: Error, Equatable, Sendable, CustomStringConvertible {
    case caFile(path: String, reason: String)
    case context(String)

    package var description: String {
        switch self {
        case .caFile(let path, let reason): "--ca-file \(path): \(reason)"
        case .context(let reason): "cannot set up TLS: \(reason)"
        }
    }
}
