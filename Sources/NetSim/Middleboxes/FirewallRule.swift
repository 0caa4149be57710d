/// One rule of the simulated firewall: which destination ports, what it does, and when it holds.
public struct FirewallRule: Sendable, Equatable {
    /// What the firewall does with a new connection the rule matches.
    public enum Action: Sendable, Equatable {
        case allow
        /// Silence: SYNs go unanswered, and the client's OS retransmits them until it gives up.
        case drop
        /// A TCP reset, as a closed port or `REJECT --reject-with tcp-reset`.
        case reject
        /// An ICMP destination-unreachable (iptables' default `REJECT` sends port unreachable).
        case rejectICMP(ICMPUnreachable.Code)
        /// A transparent HTTP proxy: it accepts the connection itself and passes HTTP only.
        case httpOnly(onNonHTTP: NonHTTPBehaviour, idleTimeout: Duration)
        /// Accepts the connection, then swallows everything.
        case blackhole
    }

    /// What a transparent proxy does with bytes that are not HTTP.
    public enum NonHTTPBehaviour: Sendable, Equatable {
        /// Squid-like: an HTTP 400 error page, then close.
        case error
        /// Waits for the end of headers that never comes, until its idle timeout, then closes.
        case hang
    }

    /// Destination ports the rule applies to; empty matches every port.
    public var ports: [UInt16]
    public var action: Action
    /// The rule holds from this offset of the run on (inclusive); `nil` from the start.
    public var from: Duration?
    /// The rule holds until this offset (exclusive); `nil` for ever.
    public var until: Duration?

    public init(ports: [UInt16], action: Action, from: Duration? = nil, until: Duration? = nil) {
        self.ports = ports
        self.action = action
        self.from = from
        self.until = until
    }

    public init(port: UInt16, action: Action, from: Duration? = nil, until: Duration? = nil) {
        self.init(ports: [port], action: action, from: from, until: until)
    }

    /// Squid's default idle timeout for a client that never completes its request
    /// (`request_start_timeout`, 5 minutes): the default for `http-only` with `on-non-http: hang`.
    public static let defaultProxyIdleTimeout: Duration = .seconds(300)

    func matches(port: UInt16, at time: SimTime) -> Bool {
        if !ports.isEmpty, !ports.contains(port) { return false }
        if let from, time < SimTime(from) { return false }
        if let until, time >= SimTime(until) { return false }
        return true
    }
}
