/// Why the live server could not bind one of its addresses (or set up its TLS).
///
/// Each case names the address so the command line can say exactly which `--listen` failed, rather
/// than passing on the bare errno.
package enum LiveServerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another socket already listens there (EADDRINUSE).
    case portInUse(ListenAddress)
    /// Ports below 1024 need privileges on most systems (EACCES).
    case permissionDenied(ListenAddress)
    /// The host is not an address of this machine (EADDRNOTAVAIL).
    case addressNotAvailable(ListenAddress)
    /// The host is neither a numeric address nor a name that resolves.
    case unresolvableHost(ListenAddress)
    /// Any other bind failure, with the system's words.
    case bindFailed(ListenAddress, String)
    /// `start` was given no address to listen on.
    case noAddresses
    /// The TLS identity could not be made into a server context (BoringSSL's words).
    case tls(String)

    package var description: String {
        switch self {
        case .portInUse(let address): "port \(address.port) is already in use (\(address))"
        case .permissionDenied(let address): "binding port \(address.port) needs privileges (\(address))"
        case .addressNotAvailable(let address): "\(address.host) is not an address of this machine"
        case .unresolvableHost(let address): "cannot resolve host '\(address.host)'"
        case .bindFailed(let address, let reason): "cannot listen on \(address): \(reason)"
        case .noAddresses: "no address to listen on"
        case .tls(let reason): "cannot serve TLS: \(reason)"
        }
    }
}
