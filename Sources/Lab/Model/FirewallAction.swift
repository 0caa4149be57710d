/// What the firewall does with a connection that matches a rule.
public enum FirewallAction: Sendable, Hashable {
    case allow
    /// Silently drops the SYN: the client waits for its OS or policy timeout.
    case drop
    /// Answers the SYN with a TCP reset: refused after one round trip.
    case reject
    /// Answers with ICMP port unreachable.
    case rejectICMP
    /// A transparent HTTP proxy: HTTP passes; anything else gets a 400 (`error`) or is held (`hang`)
    /// until the proxy's idle timeout closes it.
    case httpOnly(onNonHTTP: NonHTTPBehaviour, idleTimeout: Duration)
    /// Drops everything in both directions, established connections included.
    case blackhole

    /// The names a scenario file uses for `action`.
    static let names = ["allow", "drop", "reject", "reject-icmp", "http-only", "blackhole"]
}

extension FirewallAction {
    /// Squid's default `client_idle_pconn_timeout`-class idle limit: how long a `hang` proxy holds a
    /// connection that never completes its request headers.
    public static let defaultIdleTimeout: Duration = .seconds(300)
}

/// What a transparent proxy does with bytes that are not HTTP.
public enum NonHTTPBehaviour: String, Sendable, Hashable, CaseIterable {
    /// Squid-like: answers 400 and closes.
    case error
    /// Waits for the end of headers that never comes, until its idle timeout.
    case hang
}
