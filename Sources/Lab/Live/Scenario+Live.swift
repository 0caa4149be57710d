import Connector
import LiveNet
import RTMP

extension Scenario {
    /// The scenario as the loopback network takes it: the same URL list, server and firewall as the
    /// simulated one, the client OS's connect timeout, and the one-way latency.
    public var live: LiveScenario {
        LiveScenario(
            url: client.urls.map(\.description).joined(separator: "|"),
            connectTimeout: client.os.profile.connectTimeout,
            serverPorts: Set(server.ports.compactMap { port, schemes in
                schemes.contains(where: { $0 == .rtmp || $0 == .rtmpt }) ? UInt16(port) : nil
            }),
            serverSession: RTMPServerSession.Configuration(behavior: server.response.behavior, delay: server.delay),
            firewall: firewall.map(\.live),
            latency: network.latency)
    }

    /// Why this scenario cannot run faithfully on the loopback network; empty when it can. A live run
    /// refuses such a scenario rather than measure something else under its name.
    public var liveLimitations: [String] {
        var reasons: [String] = []
        if clients > 1 { reasons.append("herds (clients > 1) run on the simulated network only") }
        if client.proxy != nil { reasons.append("the client's explicit HTTP proxy is not emulated live") }
        if network.jitter > .zero { reasons.append("jitter is not applied on loopback nor in a netns run (no netem)") }
        if network.loss > 0 { reasons.append("packet loss is not applied on loopback nor in a netns run (no netem)") }
        if network.bandwidth != nil { reasons.append("bandwidth is not applied on loopback nor in a netns run (no netem)") }
        return reasons
    }
}

extension Scenario.FirewallRule {
    var live: LiveFirewallRule {
        let action: LiveFirewallRule.Action
        switch self.action {
        case .allow: action = .allow
        case .drop: action = .drop
        case .reject: action = .reject
        case .rejectICMP: action = .rejectICMP
        case .httpOnly(let behaviour, let idleTimeout):
            let hang = switch behaviour {
            case .error: false
            case .hang: true
            }
            action = .httpOnly(hangOnNonHTTP: hang, idleTimeout: idleTimeout)
        case .blackhole: action = .blackhole
        }
        return LiveFirewallRule(ports: (ports ?? []).map { UInt16($0) }, action: action, from: from, until: until)
    }
}
