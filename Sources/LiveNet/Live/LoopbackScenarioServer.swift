import NIOCore
import NIOPosix
import RunCore

/// A scenario's loopback network kept up for a player under test (`fallback-lab serve --scenario`):
/// the fake server with the scenario's behaviour and firewall, one local address per scenario port.
///
/// It is the same `LoopbackNetwork` a live run builds, so each port answers as it does there: the
/// server (through the latency relay when the scenario has latency), a closed port whose kernel
/// answers RST (`reject`), a full-backlog listener whose kernel drops SYNs (`drop`), or the
/// http-only / blackhole relay. A port that a rule with a time window covers cannot be one fixed
/// kernel answer for the whole session: it gets a routing relay that judges each connection when it
/// is accepted, with the windows counted from `start`. There the TCP handshake always completes
/// (with the relay): `reject` is a reset right after it and `drop` a connection that never answers.
///
/// ```swift
/// let served = try await LoopbackScenarioServer.start(scenario, seed: 1)
/// for port in served.ports { print(port.scenarioPort, port.address, port.rule) }
/// await served.shutdown()
/// ```
package final class LoopbackScenarioServer: Sendable {
    /// One scenario port: where a player connects for it, and what it meets there.
    package struct Port: Sendable, Hashable {
        /// The port the scenario names (1935, 443, 80, …).
        package var scenarioPort: UInt16
        /// The local address to use instead (`127.0.0.1:PORT`).
        package var address: ListenAddress
        /// What answers there, in words (`reject: closed port, the kernel answers RST`).
        package var rule: String
    }

    /// Every scenario port (the server's and every rule's), in ascending order.
    package let ports: [Port]
    private let network: LoopbackNetwork
    private let routers: [LoopbackRelay]

    private init(ports: [Port], network: LoopbackNetwork, routers: [LoopbackRelay]) {
        self.ports = ports
        self.network = network
        self.routers = routers
    }

    /// Builds the network on 127.0.0.1; `observer` sees every server event (connects, answers).
    package static func start(
        _ scenario: LiveScenario, seed: UInt64, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        observer: @escaping @Sendable (ServerEvent) -> Void = { _ in }
    ) async throws(LiveRunError) -> LoopbackScenarioServer {
        let loop = group.next()
        let network = try await LoopbackNetwork.start(scenario, extraPorts: [], seed: seed, on: loop, observer: observer)
        let started = ContinuousClock.now
        var scenarioPorts = scenario.serverPorts
        for rule in scenario.firewall { scenarioPorts.formUnion(rule.ports) }
        var ports: [Port] = []
        var routers: [LoopbackRelay] = []
        do throws(LiveRunError) {
            for port in scenarioPorts.sorted() {
                if network.hasTimeWindow(port) {
                    // A relay that asks the network at each accept where the connection goes.
                    let router = try await LoopbackRelay.start(mode: .route(RelayRoute {
                        network.route(for: port, at: ContinuousClock.now - started)
                    }), on: loop)
                    routers.append(router)
                    ports.append(Port(
                        scenarioPort: port, address: ListenAddress(host: "127.0.0.1", port: router.port),
                        rule: describeWindows(scenario, port: port)))
                } else {
                    ports.append(Port(
                        scenarioPort: port, address: ListenAddress(host: "127.0.0.1", port: network.target(for: port, at: .zero)),
                        rule: describe(scenario.action(for: port, at: .zero), served: scenario.serverPorts.contains(port), latency: scenario.latency)))
                }
            }
        } catch {
            for router in routers { await router.shutdown() }
            await network.shutdown()
            throw error
        }
        return LoopbackScenarioServer(ports: ports, network: network, routers: routers)
    }

    /// Connections, handshakes and connects the server has seen so far.
    package func statistics() async -> LiveServerStatistics {
        await network.server.statistics()
    }

    /// Closes every port.
    package func shutdown() async {
        for router in routers { await router.shutdown() }
        await network.shutdown()
    }

    /// What a port without time windows meets, in words.
    static func describe(_ action: FirewallRule.Action, served: Bool, latency: Duration) -> String {
        switch action {
        case .allow:
            guard served else { return "allow: no server on this port, the kernel answers RST" }
            return latency > .zero ? "allow: the server, through a relay adding \(text(latency)) each way" : "allow: the server"
        case .reject: return "reject: closed port, the kernel answers RST"
        case .rejectICMP: return "reject-icmp: closed port, the kernel answers RST (no ICMP on loopback)"
        case .drop: return "drop: full accept queue, the kernel never answers the SYN"
        case .httpOnly(let hang, let idleTimeout):
            return "http-only: transparent proxy relay; not HTTP is " + (hang == .hang ? "held until \(text(idleTimeout)) idle" : "answered 400 and closed")
        case .blackhole: return "blackhole: relay that accepts and never answers"
        }
    }

    /// `2s`, `1.5s`, `250ms`, `0.5ms`: short, exact to the microsecond.
    static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        if micros % 1_000_000 == 0 { return "\(micros / 1_000_000)s" }
        if micros >= 1_000_000 { return "\(Double(micros) / 1_000_000)s" }
        if micros % 1_000 == 0 { return "\(micros / 1_000)ms" }
        return "\(Double(micros) / 1_000)ms"
    }

    /// A windowed port: each rule that can apply, with its window counted from the start of `serve`.
    static func describeWindows(_ scenario: LiveScenario, port: UInt16) -> String {
        let rules = scenario.firewall.filter { $0.ports.isEmpty || $0.ports.contains(port) }.map { rule in
            let name = describe(rule.action, served: true, latency: scenario.latency).prefix { $0 != ":" }
            let from = rule.from.map(text) ?? "start"
            let until = rule.until.map(text) ?? "end"
            return "\(name) [\(from), \(until))"
        }
        return "timed rules (from serve start), judged per connection by a routing relay: " + rules.joined(separator: ", ")
            + "; otherwise allow (after the relay's TCP handshake, reject is a reset and drop is silence)"
    }
}
