import Connector
import RTMP
import RunCore

/// Builds the simulated world of one run — hosts, links, firewall, proxy, server — from the scenario,
/// puts one `SimulatedClient` (a player with its connector) on it per client, runs the loop until
/// every client's connector decided and its attempts ended, and collects the results.
final class SimulatedRuntime {
    static let clientAddress = IPv4Address(192, 0, 2, 10)
    static let proxyAddress = IPv4Address(192, 0, 2, 1)
    static let serverAddress = IPv4Address(198, 51, 100, 20)
    static let firewallAddress = IPv4Address(198, 51, 100, 1)
    /// Clients of a herd take consecutive addresses from `clientAddress` (100,000 of them end at
    /// 192.1.136.169, clear of the proxy's, the firewall's and the server's); the limit is RunCore's.
    static let maximumClients = RunLimits.maximumClients

    /// A run never simulates more than this: every loop is bounded.
    static let horizon = SimTime(.seconds(3_600))
    /// After the connectors decided and every attempt ended, closes and late packets get this long.
    static let settleTime: Duration = .seconds(5)
    /// The event budget of one client; a herd's is this times its clients. A single budget for the
    /// whole run cut a 100,000-client Happy Eyeballs herd off after 1.64 simulated seconds (its
    /// ~200 events per client are 20 million in all), leaving every client without an outcome.
    static let maximumEvents = 20_000_000

    let network: SimNetwork
    let seed: UInt64
    private let serverHost: HostID
    private let server: SimulatedServer
    private let proxyName: String?
    /// The clients' explicit proxy, which rtmpt attempts use.
    let proxyEndpoint: SimEndpoint?
    private var clients: [SimulatedClient] = []
    private var settling = false
    /// Clients whose connector has not decided or whose attempts have not all ended; counted, not
    /// scanned, so that a herd's every event does not walk every client.
    private var unsettledClients = 0

    /// - Parameter connectors: one per client, all started at t = 0.
    init(scenario: SimulatedScenario, connectors: [FallbackConnector], seed: UInt64, recordTrace: Bool) {
        precondition((1...Self.maximumClients).contains(connectors.count), "1 to \(Self.maximumClients) clients")
        self.seed = seed
        network = SimNetwork(seed: seed, recordTrace: recordTrace)
        var clientHosts: [HostID] = []
        for index in connectors.indices {
            clientHosts.append(network.addHost(
                address: IPv4Address(Self.clientAddress.value + UInt32(index)), profile: scenario.clientOS
            ))
        }
        serverHost = network.addHost(address: Self.serverAddress, profile: .linux)
        // A herd sits behind one firewall: its clients share one access link each way, so their
        // packets queue behind each other at the scenario's bandwidth.
        network.setPath(from: clientHosts[0], to: serverHost, conditions: scenario.uplink)
        network.setPath(from: serverHost, to: clientHosts[0], conditions: scenario.downlink)
        for host in clientHosts.dropFirst() {
            network.sharePath(from: host, to: serverHost, withPathFrom: clientHosts[0], to: serverHost)
            network.sharePath(from: serverHost, to: host, withPathFrom: serverHost, to: clientHosts[0])
        }
        if let proxy = scenario.clientProxy {
            let proxyHost = network.addHost(address: Self.proxyAddress, profile: .linux)
            let lan = LinkConditions(latency: proxy.configuration.latency)
            for host in clientHosts {
                network.setPath(between: host, and: proxyHost, aToB: lan, bToA: lan)
            }
            network.setPath(from: proxyHost, to: serverHost, conditions: scenario.uplink)
            network.setPath(from: serverHost, to: proxyHost, conditions: scenario.downlink)
            var names: [String: IPv4Address] = [:]
            for connector in connectors {
                for url in connector.urls { names[url.host.lowercased()] = Self.serverAddress }
            }
            _ = ExplicitHTTPProxy(
                network: network, host: proxyHost, port: proxy.port, configuration: proxy.configuration,
                resolve: names, otherNames: Self.serverAddress
            )
            proxyName = proxy.host.lowercased()
            proxyEndpoint = SimEndpoint(Self.proxyAddress, proxy.port)
        } else {
            proxyName = nil
            proxyEndpoint = nil
        }
        if !scenario.firewall.rules.isEmpty {
            network.installFirewall(scenario.firewall, between: clientHosts, and: serverHost, address: Self.firewallAddress)
        }
        server = SimulatedServer(
            network: network, host: serverHost, protocols: scenario.serverPorts,
            configuration: scenario.serverSession, seed: RunSeeds.server(seed), clients: connectors.count
        )
        clients.reserveCapacity(connectors.count)
        for (index, connector) in connectors.enumerated() {
            clients.append(SimulatedClient(
                runtime: self, host: clientHosts[index], index: index, connector: connector, play: scenario.play,
                measuresReconnect: scenario.measuresReconnect))
        }
        unsettledClients = clients.count
    }

    /// One client.
    convenience init(scenario: SimulatedScenario, connector: FallbackConnector, seed: UInt64, recordTrace: Bool) {
        self.init(scenario: scenario, connectors: [connector], seed: seed, recordTrace: recordTrace)
    }

    /// Every name resolves to the server, except the proxy's own: the simulated world has one
    /// server, and a redirect to another host name lands on it too.
    func resolve(_ name: String) -> IPv4Address {
        if let proxyName, name.lowercased() == proxyName { return Self.proxyAddress }
        return Self.serverAddress
    }

    // MARK: Running

    /// Runs every client from t = 0 and returns one result per client, in order. The server's cost
    /// and the packet trace are the whole run's, shared by all results.
    func runAll() -> [SimulatedRunResult] {
        for client in clients { client.start() }
        let budget = Self.maximumEvents * clients.count
        network.loop.run(until: Self.horizon, maxTasks: budget)
        if settling {
            network.loop.run(until: network.loop.now + Self.settleTime, maxTasks: budget)
        }
        let accepted = server.connectionsAccepted
        let connected = clients.reduce(0) { $0 + ($1.timeline.outcome == .connected ? 1 : 0) }
        let cost = ServerCost(
            connectionsAccepted: accepted, handshakesCompleted: server.handshakesCompleted,
            wastedConnections: max(0, accepted - connected),
            peakConnections: server.peakConnections, peakHandshakes: server.peakHandshakes
        )
        return clients.map { client in
            var timeline = client.timeline
            timeline.serverCost = cost
            var synTimes: [AttemptID: [Duration]] = [:]
            for (attempt, connection) in client.synWatch {
                synTimes[attempt] = (network.synLog[connection] ?? []).map(\.sinceStart)
            }
            return SimulatedRunResult(
                timeline: timeline, synTimes: synTimes, trace: network.trace,
                simulatedDuration: network.loop.now.sinceStart, eventsRun: network.loop.tasksRun
            )
        }
    }

    /// The single client's result.
    func run() -> SimulatedRunResult {
        runAll()[0]
    }

    /// A client's settled state changed (`SimulatedClient` reports each change once). Stops the
    /// main phase once every client settled; closes then get `settleTime`.
    func client(settled: Bool) {
        unsettledClients += settled ? -1 : 1
        guard !settling, unsettledClients == 0 else { return }
        settling = true
        network.loop.stop()
    }
}
