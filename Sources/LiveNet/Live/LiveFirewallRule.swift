/// One firewall rule of a live run: which ports, what happens to a connection, and when it holds.
///
/// The scenario file's `firewall:` entries map onto it one to one. How faithfully each action is
/// reproduced depends on the network: on loopback (`LoopbackNetwork`) `reject` and `drop` are the
/// kernel's own answers, `http-only` and `blackhole` are in-process relays; in a private namespace
/// (`NamespaceNetwork`) every rule is an nftables rule, the relays reached through it.
public struct LiveFirewallRule: Sendable, Hashable {
    /// What a rule does to a connection to one of its ports.
    public enum Action: Sendable, Hashable {
        case allow
        /// The SYN is never answered: the client's stack retransmits until its connect timeout.
        case drop
        /// TCP reset.
        case reject
        /// ICMP port unreachable; on loopback the kernel turns it into the same refusal as a reset.
        case rejectICMP
        /// A transparent HTTP proxy: HTTP passes, anything else meets `hangOnNonHTTP` (hang until
        /// `idleTimeout`, or answer 400 and close).
        case httpOnly(hangOnNonHTTP: Bool, idleTimeout: Duration)
        /// The connection is accepted and nothing ever comes back.
        case blackhole
    }

    /// Empty means every port.
    public var ports: [UInt16]
    public var action: Action
    /// The rule holds from this offset of the run on (nil: from the start).
    public var from: Duration?
    /// The rule holds until this offset (nil: for ever).
    public var until: Duration?

    public init(ports: [UInt16], action: Action, from: Duration? = nil, until: Duration? = nil) {
        self.ports = ports
        self.action = action
        self.from = from
        self.until = until
    }

    /// Whether the rule decides a connection to `port` opened at `time` (first matching rule wins,
    /// as in the simulated firewall).
    func applies(to port: UInt16, at time: Duration) -> Bool {
        guard ports.isEmpty || ports.contains(port) else { return false }
        return holds(at: time)
    }

    /// Whether the rule is in force at `time` into the run: inside its window `[from, until)`.
    func holds(at time: Duration) -> Bool {
        if let from, time < from { return false }
        if let until, time >= until { return false }
        return true
    }
}
