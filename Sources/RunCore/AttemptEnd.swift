import Connector

/// How one attempt's protocol stack ended, as ``AttemptDriver`` reports it to its runtime: the three
/// answers the connector takes (`attemptSucceeded`, `attemptRedirected`, `attemptFailed`).
package enum AttemptEnd: Sendable, Equatable {
    /// `_result` with `NetConnection.Connect.Success`. The connection stays open: the player decides.
    case succeeded
    /// `_error` with `NetConnection.Connect.Rejected` and an `ex.redirect` URL.
    case redirected(to: String)
    /// Anything else: the network, a proxy, the tunnel or the server said no.
    case failed(AttemptFailure)
}
