/// Why an external client's run produced no measurement.
package enum ExternalClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scenario's URL is not one the lab can map.
    case setup(String)
    /// The loopback network could not be built.
    case network(LiveRunError)
    /// The program could not be started.
    case launch(ClientLaunchError)

    package var description: String {
        switch self {
        case .setup(let text): "cannot run the external client: \(text)"
        case .network(let error): error.description
        case .launch(let error): error.description
        }
    }
}
