import Connector

/// Why a live run could not produce a result.
package enum LiveRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The connector could not be built from the policy and URL.
    case setup(String)
    /// The live network (ports, rules, relays, server) could not be set up, or a rule change failed.
    case network(String)
    /// The run did not end within its bound.
    case exceededBound(Duration)

    package var description: String {
        switch self {
        case .setup(let text): "cannot set up the connector: \(text)"
        case .network(let text): "live network: \(text)"
        case .exceededBound(let bound): "the live run did not end within its bound of \(bound)"
        }
    }
}
