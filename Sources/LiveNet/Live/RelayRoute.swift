/// How a routing relay (`RelayMode.route`) treats one connection, decided when it is accepted.
///
/// `serve --scenario` listens on one address per scenario port for the whole session, so a port
/// whose firewall rule has a time window cannot be a fixed kernel answer: its relay asks the
/// network at each accept what the rule is now.
final class RelayRoute: Sendable, Hashable {
    /// What to do with a connection accepted now.
    enum Decision: Sendable, Hashable {
        /// Pass it on to this loopback port (the server, a latency relay, an http-only or blackhole relay).
        case forward(port: Int)
        /// Reset it at once (`reject`: the TCP handshake already completed with the relay).
        case reset
        /// Hold it and never answer (`drop`: the TCP handshake already completed with the relay).
        case hold
    }

    let decide: @Sendable () -> Decision

    init(decide: @escaping @Sendable () -> Decision) {
        self.decide = decide
    }

    static func == (lhs: RelayRoute, rhs: RelayRoute) -> Bool { lhs === rhs }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
