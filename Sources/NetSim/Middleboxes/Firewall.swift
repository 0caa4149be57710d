import RunCore
/// The firewall between the client and the server: ordered rules, first match wins, no match allows.
///
/// Rules are judged when a connection's first SYN reaches the firewall; the verdict then holds for the
/// whole connection, as a stateful firewall's connection tracking does (an established connection is
/// not cut when a time window opens). The firewall stands at the server's end of the path, so a reset
/// or ICMP answer costs the client a full round trip, like a closed port on the server does.
package struct Firewall: Sendable, Equatable {
    package var rules: [FirewallRule]

    package init(rules: [FirewallRule] = []) {
        self.rules = rules
    }

    /// The first rule matching a new connection to `port` at `time`, with its index.
    package func verdict(port: UInt16, at time: SimTime) -> (index: Int, action: FirewallRule.Action)? {
        rules.verdict(port: port, at: time.sinceStart)
    }
}
