/// One rule of the firewall between the client and the server: which destination ports, what it does
/// to a new connection, and when it holds. The scenario file's `firewall:` entries, the simulated
/// firewall and both live networks (loopback relays, nftables in a namespace) all use this one model;
/// only how each network enforces an action differs (docs/live-networks.md).
package struct FirewallRule: Sendable, Hashable {
    /// What the firewall does with a new connection the rule matches.
    package enum Action: Sendable, Hashable {
        case allow
        /// Silence: SYNs go unanswered, and the client's OS retransmits them until it gives up.
        case drop
        /// A TCP reset, as a closed port or `REJECT --reject-with tcp-reset`.
        case reject
        /// An ICMP destination-unreachable; a scenario's `reject-icmp` is port unreachable, iptables'
        /// default `REJECT` answer. On loopback the kernel turns it into the same refusal as a reset.
        case rejectICMP(ICMPUnreachableCode)
        /// A transparent HTTP proxy: it accepts the connection itself and passes HTTP only; anything
        /// else meets `onNonHTTP` (a 400 and close, or held until `idleTimeout`).
        case httpOnly(onNonHTTP: NonHTTPBehaviour, idleTimeout: Duration)
        /// Completes the TCP handshake and acknowledges everything, and never answers: the connection
        /// hangs until the client's own timeout, the costliest way a middlebox can fail.
        case blackhole
    }

    /// What a transparent proxy does with bytes that are not HTTP.
    package enum NonHTTPBehaviour: String, Sendable, Hashable, CaseIterable {
        /// Squid-like: an HTTP 400 error page, then close.
        case error
        /// Waits for the end of headers that never comes, until its idle timeout, then closes.
        case hang
    }

    /// Destination ports the rule applies to; empty matches every port.
    package var ports: [UInt16]
    package var action: Action
    /// The rule holds from this offset of the run on (inclusive); `nil` from the start.
    package var from: Duration?
    /// The rule holds until this offset (exclusive); `nil` for ever.
    package var until: Duration?

    package init(ports: [UInt16], action: Action, from: Duration? = nil, until: Duration? = nil) {
        self.ports = ports
        self.action = action
        self.from = from
        self.until = until
    }

    package init(port: UInt16, action: Action, from: Duration? = nil, until: Duration? = nil) {
        self.init(ports: [port], action: action, from: from, until: until)
    }

    /// Squid's default idle timeout for a client that never completes its request
    /// (`request_start_timeout`, 5 minutes): the default `idle-timeout` of `http-only`.
    package static let defaultProxyIdleTimeout: Duration = .seconds(300)

    /// Whether the rule decides a connection to `port` opened at `time` into the run.
    package func matches(port: UInt16, at time: Duration) -> Bool {
        guard ports.isEmpty || ports.contains(port) else { return false }
        return holds(at: time)
    }

    /// Whether the rule is in force at `time` into the run: inside its window `[from, until)`.
    package func holds(at time: Duration) -> Bool {
        if let from, time < from { return false }
        if let until, time >= until { return false }
        return true
    }
}

extension Array where Element == FirewallRule {
    /// The verdict on a new connection to `port` at `time`: the first matching rule, with its index
    /// (which names it in traces, relays and nftables chains); `nil` (allow) when none matches.
    /// Judged once per connection, when its first SYN arrives, as a stateful firewall's connection
    /// tracking does: an established connection is not cut when a window opens.
    package func verdict(port: UInt16, at time: Duration) -> (index: Int, action: FirewallRule.Action)? {
        for (index, rule) in enumerated() where rule.matches(port: port, at: time) {
            return (index, rule.action)
        }
        return nil
    }
}

/// The codes of an ICMP destination-unreachable a firewall may answer with, and the error each
/// becomes at the client's socket.
package enum ICMPUnreachableCode: UInt8, Sendable, Hashable, CaseIterable {
    /// → ENETUNREACH.
    case network = 0
    /// → EHOSTUNREACH.
    case host = 1
    /// → ECONNREFUSED; iptables' default `REJECT` answer.
    case port = 3
    /// → EHOSTUNREACH.
    case adminProhibited = 13
}
