import Connector
import LiveNet
import RTMP
import RunCore

extension Scenario {
    /// The scenario as the loopback network takes it: the same URL list, server and firewall as the
    /// simulated one, the client OS's connect timeout, and the one-way latency. A port that lists
    /// rtmps has the live server speak TLS (with a certificate made for the run).
    package var live: LiveScenario {
        var live = LiveScenario(
            urls: client.urls,
            connectTimeout: client.os.profile.connectTimeout,
            serverPorts: Set(server.ports.compactMap { port, schemes in
                schemes.contains(where: { $0 == .rtmp || $0 == .rtmpt || $0 == .rtmps }) ? UInt16(port) : nil
            }),
            serverSession: server.session,
            firewall: firewall,
            latency: network.latency)
        live.link = network.conditions
        live.play = client.play
        live.tlsPorts = Set(server.ports.compactMap { port, schemes in schemes.contains(.rtmps) ? UInt16(port) : nil })
        return live
    }

    /// Why this scenario cannot run faithfully on the live `network` (`loopback` or `netns`); empty
    /// when it can. A live run refuses such a scenario rather than measure something else under its
    /// name. Jitter, loss and bandwidth need the per-packet link between the player's namespace and
    /// the server's, which a netns run has (for our player and an external client alike); loopback
    /// has no netem (this kernel has no `sch_netem`).
    package func liveLimitations(on network: NetworkName) -> [String] {
        var reasons: [String] = []
        if clients > 1 { reasons.append("herds (clients > 1) run on the simulated network only") }
        if client.proxy != nil { reasons.append("the client's explicit HTTP proxy is not emulated live") }
        guard network == .loopback else { return reasons }
        let whereNot = "on loopback (no netem; --network netns applies it)"
        if self.network.jitter > .zero { reasons.append("jitter is not applied \(whereNot)") }
        if self.network.meanLoss > 0 { reasons.append("packet loss is not applied \(whereNot)") }
        if self.network.bandwidth != nil { reasons.append("bandwidth is not applied \(whereNot)") }
        return reasons
    }
}
