import NIOCore
import RTMP
import RunCore

/// The scenario's network on 127.0.0.1 without privileges: the fake server on ephemeral ports, and
/// every scenario port mapped to whatever answers like the firewall says.
///
/// | rule | what a connection to the port meets |
/// |---|---|
/// | none / `allow` | the server (through the latency relay when the scenario has latency) |
/// | `reject`, `reject-icmp` | a bound, never-listening port: the kernel's RST |
/// | `drop` | a listener whose accept queue is full: the kernel drops the SYN (`KernelEndpoints`) |
/// | `http-only` | the in-process transparent proxy relay in front of the server |
/// | `blackhole` | the in-process blackhole relay |
///
/// A rule with a time window is judged when the attempt opens its connection.
final class LoopbackNetwork: LiveNetwork {
    let server: LiveServer
    private let kernel: KernelEndpoints
    private let closedPort: Int
    /// The full-backlog listener every dropped port maps to: a client's SYNs to it stay unanswered.
    let silentPort: Int
    /// Scenario port → the server's real port.
    private let serverPorts: [UInt16: Int]
    /// Scenario port → its latency relay (only with latency).
    private let forwarders: [UInt16: LoopbackRelay]
    /// (scenario port, rule index) → the http-only relay for that rule on that port.
    private let proxies: [ProxyKey: LoopbackRelay]
    private let blackhole: LoopbackRelay
    private let scenario: LiveScenario

    struct ProxyKey: Hashable, Sendable {
        var port: UInt16
        var rule: Int
    }

    private init(
        server: LiveServer, kernel: KernelEndpoints, closedPort: Int, silentPort: Int,
        serverPorts: [UInt16: Int], forwarders: [UInt16: LoopbackRelay], proxies: [ProxyKey: LoopbackRelay],
        blackhole: LoopbackRelay, scenario: LiveScenario
    ) {
        self.server = server
        self.kernel = kernel
        self.closedPort = closedPort
        self.silentPort = silentPort
        self.serverPorts = serverPorts
        self.forwarders = forwarders
        self.proxies = proxies
        self.blackhole = blackhole
        self.scenario = scenario
    }

    /// Builds everything the scenario needs; `extraPorts` are ports the candidates use that neither
    /// the server nor a rule names (they get rules' relays too). On failure, what was built is torn
    /// down again. `observer` sees every server event (an external client's run records its
    /// connections from them).
    static func start(
        _ scenario: LiveScenario, extraPorts: Set<UInt16>, seed: UInt64, on loop: any EventLoop,
        observer: @escaping @Sendable (ServerEvent) -> Void = { _ in }
    ) async throws(LiveRunError) -> LoopbackNetwork {
        let tls = try scenario.serverIdentity()
        let kernelEndpoints = try KernelEndpoints.open()
        let closedPort = kernelEndpoints.closedPort
        let silentPort = kernelEndpoints.silentPort
        let ordered = scenario.serverPorts.sorted()
        let server: LiveServer
        do {
            server = try await LiveServer.start(
                LiveServerConfiguration(
                    listen: ordered.map { _ in ListenAddress(host: "127.0.0.1", port: 0) },
                    session: scenario.serverSession, seed: seed, tls: tls),
                group: loop, observer: observer)
        } catch {
            kernelEndpoints.close()
            throw .network("server: \(error)")
        }
        var relays: [LoopbackRelay] = []
        do throws(LiveRunError) {
            let serverPorts = Dictionary(uniqueKeysWithValues: zip(ordered, server.ports))
            var forwarders: [UInt16: LoopbackRelay] = [:]
            if scenario.latency > .zero {
                for (port, real) in serverPorts {
                    let relay = try await LoopbackRelay.start(mode: .forward(upstreamPort: real, delay: scenario.latency), on: loop)
                    relays.append(relay)
                    forwarders[port] = relay
                }
            }
            var allPorts = extraPorts.union(scenario.serverPorts)
            for rule in scenario.firewall { allPorts.formUnion(rule.ports) }
            var proxies: [ProxyKey: LoopbackRelay] = [:]
            for (index, rule) in scenario.firewall.enumerated() {
                guard case .httpOnly(let hang, let idleTimeout) = rule.action else { continue }
                for port in (rule.ports.isEmpty ? allPorts : Set(rule.ports)).sorted() {
                    let mode = RelayMode.httpOnly(
                        upstreamPort: serverPorts[port] ?? closedPort, delay: scenario.latency, hang: hang == .hang,
                        idleTimeout: idleTimeout)
                    let relay = try await LoopbackRelay.start(mode: mode, on: loop)
                    relays.append(relay)
                    proxies[ProxyKey(port: port, rule: index)] = relay
                }
            }
            let blackhole = try await LoopbackRelay.start(mode: .blackhole, on: loop)
            relays.append(blackhole)
            return LoopbackNetwork(
                server: server, kernel: kernelEndpoints, closedPort: closedPort, silentPort: silentPort,
                serverPorts: serverPorts, forwarders: forwarders, proxies: proxies, blackhole: blackhole,
                scenario: scenario)
        } catch {
            for relay in relays { await relay.shutdown() }
            await server.shutdown()
            kernelEndpoints.close()
            throw error
        }
    }

    /// The loopback port a connection to scenario port `port`, opened at `time` into the run, goes to.
    var host: String { "127.0.0.1" }
    /// The relays accept at once and add the latency to the bytes only.
    var carriesLatency: Bool { false }
    var playerLoop: (any EventLoop)? { nil }

    func target(for port: UInt16, at time: Duration) -> Int {
        let verdict = scenario.firewall.verdict(port: port, at: time)
        let index = verdict?.index
        let action = verdict?.action ?? .allow
        switch action {
        case .allow:
            if let relay = forwarders[port] { return relay.port }
            return serverPorts[port] ?? closedPort
        case .drop:
            return silentPort
        case .reject, .rejectICMP:
            return closedPort
        case .httpOnly:
            guard let index, let relay = proxies[ProxyKey(port: port, rule: index)] else { return closedPort }
            return relay.port
        case .blackhole:
            return blackhole.port
        }
    }

    /// The scenario port whose server listener is `port` (the server's real, ephemeral port); relays
    /// in front of the server connect to the same listeners, so this names the port a connection was
    /// meant for whichever way it came.
    func scenarioPort(ofServerPort port: Int) -> UInt16? {
        serverPorts.first { $0.value == port }?.key
    }

    /// Loopback rules are judged per connection when it opens: nothing to schedule.
    func started(at origin: ContinuousClock.Instant) {}

    func failure() -> String? { nil }

    /// What a routing relay does with a connection to scenario port `port` accepted at `time`: the
    /// same rule as `target(for:at:)`, but the TCP handshake already completed with the relay, so
    /// `reject` becomes a reset and `drop` a connection held in silence.
    func route(for port: UInt16, at time: Duration) -> RelayRoute.Decision {
        switch scenario.action(for: port, at: time) {
        case .allow, .httpOnly, .blackhole: .forward(port: target(for: port, at: time))
        case .reject, .rejectICMP: .reset
        case .drop: .hold
        }
    }

    /// Whether a rule with a time window could decide connections to `port`: then what answers
    /// the port changes during a session.
    func hasTimeWindow(_ port: UInt16) -> Bool {
        scenario.firewall.contains { ($0.ports.isEmpty || $0.ports.contains(port)) && ($0.from != nil || $0.until != nil) }
    }

    /// Every loopback port of this network (server, kernel ports, relays): a capture filtered to
    /// them sees every connection of the run, the client's side included.
    var localPorts: Set<UInt16> {
        var ports = Set(server.ports.map { UInt16(clamping: $0) })
        ports.insert(UInt16(clamping: closedPort))
        ports.insert(UInt16(clamping: silentPort))
        for relay in forwarders.values { ports.insert(UInt16(clamping: relay.port)) }
        for relay in proxies.values { ports.insert(UInt16(clamping: relay.port)) }
        ports.insert(UInt16(clamping: blackhole.port))
        return ports
    }

    /// Closes the relays, the server and the kernel ports.
    func shutdown() async {
        for relay in forwarders.values { await relay.shutdown() }
        for relay in proxies.values { await relay.shutdown() }
        await blackhole.shutdown()
        await server.shutdown()
        kernel.close()
    }
}
