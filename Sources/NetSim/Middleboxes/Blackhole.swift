/// What a `blackhole` rule puts in the server's place: it completes the TCP handshake and
/// acknowledges everything, and never answers — the connection hangs until the client's own
/// timeout, the costliest way a middlebox can fail.
final class Blackhole: TCPHandler {
    func handle(_ event: TCPEvent, on connection: TCPConnectionID) {
        switch event {
        case .connected, .accepted, .received, .peerClosed, .failed:
            // Swallowed. The TCP layer still acknowledges data; the application never replies.
            return
        }
    }
}
