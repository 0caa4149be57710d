import Connector
import RTMP
import RunCore

/// Everything a live run needs to know about the world: the URL, the client's connect timeout, the
/// server's ports and behaviour, the firewall and the one-way latency. The Lab maps a scenario file
/// onto it the same way it maps one onto the simulated network.
package struct LiveScenario: Sendable {
    /// The URLs the player is given (one, or a streamer list), as the scenario's loader parsed them:
    /// a run does not parse text again.
    package var urls: [ConnectURL]
    /// How long the client's stack keeps retransmitting an unanswered SYN before `connect()` fails.
    /// The run applies it to every attempt so that a dropped port costs what the scenario's client
    /// OS would pay, whatever the kernel of the machine running the lab would.
    package var connectTimeout: Duration
    /// Scenario ports the server listens on. Each answers RTMP and RTMPT (told apart by the first
    /// bytes); a scenario port not listed is closed (a reset).
    package var serverPorts: Set<UInt16>
    /// Scenario ports whose list names rtmps. When there is one, the run's server gets a fresh
    /// self-signed certificate (`serverIdentity()`) and answers a TLS ClientHello on every port, as
    /// it answers RTMP and RTMPT on every port (the simulated server keeps to each port's list).
    package var tlsPorts: Set<UInt16> = []
    /// How the server answers `connect`, and its think time.
    package var serverSession: RTMPServerSession.Configuration
    /// First matching rule wins; no match allows.
    package var firewall: [FirewallRule]
    /// One-way delay between client and server, applied both ways (see `LoopbackNetwork`).
    package var latency: Duration
    /// The whole path as the per-packet link of a `--network netns` run applies it, each way: latency,
    /// jitter, loss and bandwidth. Loopback applies `latency` only (and refuses the rest before it
    /// runs); by default the latency and nothing else.
    package var link: LinkConditions
    /// The stream the player plays on the winner after connect (`client.play`); nil: the run ends at
    /// connect. The server needs `serverSession.media` then.
    package var play: String?
    /// Whether the player streams on after its first frame to measure a reconnect (the server sends
    /// a reconnect request, `serverSession.reconnectRequest`).
    package var measuresReconnect: Bool { play != nil && serverSession.reconnectRequest != nil }

    package init(
        urls: [ConnectURL], connectTimeout: Duration = .seconds(21), serverPorts: Set<UInt16> = [1935, 443, 80],
        serverSession: RTMPServerSession.Configuration = .init(), firewall: [FirewallRule] = [],
        latency: Duration = .zero
    ) {
        self.urls = urls
        self.connectTimeout = connectTimeout
        self.serverPorts = serverPorts
        self.serverSession = serverSession
        self.firewall = firewall
        self.latency = latency
        self.link = LinkConditions(latency: latency)
    }

    /// The certificate the run's server terminates RTMPS with, made for this run: it names
    /// localhost, the loopback addresses, the URLs' hosts and a redirect's host, so that the live
    /// player, which trusts exactly this certificate, verifies the host names as a player does.
    /// nil when no port serves rtmps.
    func serverIdentity() throws(LiveRunError) -> TLSIdentity? {
        guard !tlsPorts.isEmpty else { return nil }
        var names = ["localhost", "127.0.0.1", "::1", LinkedNamespaces.serverAddress]
        var hosts = urls.map(\.host)
        if case .redirect(let target) = serverSession.behavior, let url = try? ConnectURL(parsing: target) {
            hosts.append(url.host)
        }
        for host in hosts where !names.contains(host) { names.append(host) }
        do {
            return try TLSIdentity.selfSigned(names: names)
        } catch {
            throw .network("server certificate: \(error)")
        }
    }

    /// The rule deciding a connection to `port` opened at `time`; `allow` when none matches.
    func action(for port: UInt16, at time: Duration) -> FirewallRule.Action {
        firewall.verdict(port: port, at: time)?.action ?? .allow
    }
}
