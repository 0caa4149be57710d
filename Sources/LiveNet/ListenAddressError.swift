/// Why a `--listen` value could not be read.
package enum ListenAddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingPort(String)
    case invalidPort(String)
    case malformed(String)

    package var description: String {
        switch self {
        case .missingPort(let text): "'\(text)' has no port: write HOST:PORT, e.g. 127.0.0.1:1935"
        case .invalidPort(let text): "'\(text)' is not a port: use 0 (any free port) to 65535"
        case .malformed(let text): "'\(text)' is not HOST:PORT (an IPv6 host goes in brackets: [::1]:1935)"
        }
    }
}
