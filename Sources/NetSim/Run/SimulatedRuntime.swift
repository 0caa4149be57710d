import Connector
import RTMP

/// Executes one connector run on the simulated network: it builds the hosts, links, firewall, proxy
/// and server from the scenario, runs the real `FallbackConnector`, and carries out its actions —
/// starting and cancelling attempts, arming timers — while recording the timeline. It decides
/// nothing itself.
final class SimulatedRuntime {
    static let clientAddress = IPv4Address(192, 0, 2, 10)
    static let proxyAddress = IPv4Address(192, 0, 2, 1)
    static let serverAddress = IPv4Address(198, 51, 100, 20)
    static let firewallAddress = IPv4Address(198, 51, 100, 1)

    /// A run never simulates more than this: every loop is bounded.
    static let horizon = SimTime(.seconds(3_600))
    /// After the connector decided and every attempt ended, closes and late packets get this long.
    static let settleTime: Duration = .seconds(5)
    static let maximumEvents = 5_000_000

    let network: SimNetwork
    let clientHost: HostID
    private let serverHost: HostID
    private let server: SimulatedServer
    private let proxyHost: HostID?
    private let proxyName: String?
    /// The client's explicit proxy, which rtmpt attempts use.
    let proxyEndpoint: SimEndpoint?
    private let seed: UInt64

    private var connector: FallbackConnector
    private(set) var timeline = ConnectionTimeline()
    private var attempts: [AttemptID: SimulatedAttempt] = [:]
    private var live: Set<AttemptID> = []
    private var timers: [FallbackConnector.TimerID: SimEventLoop.TaskHandle] = [:]
    private var synWatch: [AttemptID: TCPConnectionID] = [:]
    private var settling = false

    init(scenario: SimulatedScenario, connector: FallbackConnector, seed: UInt64, recordTrace: Bool) {
        self.connector = connector
        self.seed = seed
        network = SimNetwork(seed: seed, recordTrace: recordTrace)
        clientHost = network.addHost(address: Self.clientAddress, profile: scenario.clientOS)
        serverHost = network.addHost(address: Self.serverAddress, profile: .linux)
        network.setPath(from: clientHost, to: serverHost, conditions: scenario.uplink)
        network.setPath(from: serverHost, to: clientHost, conditions: scenario.downlink)
        if let proxy = scenario.clientProxy {
            let host = network.addHost(address: Self.proxyAddress, profile: .linux)
            let lan = LinkConditions(latency: proxy.configuration.latency)
            network.setPath(between: clientHost, and: host, aToB: lan, bToA: lan)
            network.setPath(from: host, to: serverHost, conditions: scenario.uplink)
            network.setPath(from: serverHost, to: host, conditions: scenario.downlink)
            var names: [String: IPv4Address] = [:]
            for url in connector.urls { names[url.host.lowercased()] = Self.serverAddress }
            _ = ExplicitHTTPProxy(network: network, host: host, port: proxy.port, configuration: proxy.configuration, resolve: names, otherNames: Self.serverAddress)
            proxyHost = host
            proxyName = proxy.host.lowercased()
            proxyEndpoint = SimEndpoint(Self.proxyAddress, proxy.port)
        } else {
            proxyHost = nil
            proxyName = nil
            proxyEndpoint = nil
        }
        if !scenario.firewall.rules.isEmpty {
            network.installFirewall(scenario.firewall, between: clientHost, and: serverHost, address: Self.firewallAddress)
        }
        server = SimulatedServer(
            network: network, host: serverHost, protocols: scenario.serverPorts,
            configuration: scenario.serverSession, seed: Self.mix(seed, 0x5E87_E800)
        )
    }

    /// Every name resolves to the server, except the proxy's own: the simulated world has one
    /// server, and a redirect to another host name lands on it too.
    func resolve(_ name: String) -> IPv4Address {
        if let proxyName, name.lowercased() == proxyName { return Self.proxyAddress }
        return Self.serverAddress
    }

    // MARK: Running

    func run() -> SimulatedRunResult {
        execute(connector.start())
        network.loop.run(until: Self.horizon, maxTasks: Self.maximumEvents)
        if settling {
            network.loop.run(until: network.loop.now + Self.settleTime, maxTasks: Self.maximumEvents)
        }
        let accepted = server.connectionsAccepted
        timeline.serverCost = ServerCost(
            connectionsAccepted: accepted, handshakesCompleted: server.handshakesCompleted,
            wastedConnections: max(0, accepted - (timeline.outcome == .connected ? 1 : 0))
        )
        var synTimes: [AttemptID: [Duration]] = [:]
        for (attempt, connection) in synWatch {
            synTimes[attempt] = (network.synLog[connection] ?? []).map(\.sinceStart)
        }
        return SimulatedRunResult(
            timeline: timeline, synTimes: synTimes, trace: network.trace,
            simulatedDuration: network.loop.now.sinceStart, eventsRun: network.loop.tasksRun
        )
    }

    private var now: Duration { network.loop.now.sinceStart }

    /// Carries out one connector action, in the order the connector documents: cancel attempts,
    /// cancel timers, start attempts, schedule timers.
    private func execute(_ action: FallbackConnector.Action) {
        timeline.apply(action, at: now)
        switch action {
        case .nothing:
            break
        case .proceed(let steps):
            execute(steps)
        case .connected(let winner, _, let cleanup):
            execute(cleanup)
            // The measurement ends here: the winner is handed to the player. Closing it keeps the
            // simulation finite (an RTMPT tunnel would poll for ever).
            end(winner)
        case .failed(_, let cleanup):
            execute(cleanup)
        case .closeLateSuccess(let id):
            end(id)
        }
        checkSettled()
    }

    private func execute(_ steps: FallbackConnector.Steps) {
        for cancellation in steps.cancelAttempts {
            end(cancellation.id)
        }
        for timer in steps.cancelTimers {
            if let handle = timers.removeValue(forKey: timer) { network.loop.cancel(handle) }
        }
        for start in steps.startAttempts {
            let attempt = SimulatedAttempt(
                id: start.id, candidate: start.candidate, runtime: self,
                seed: Self.mix(seed, UInt64(start.id.rawValue) &+ 1)
            )
            attempts[start.id] = attempt
            live.insert(start.id)
            attempt.start()
        }
        for request in steps.scheduleTimers {
            if let old = timers[request.id] { network.loop.cancel(old) }
            let id = request.id
            timers[id] = network.loop.schedule(after: request.after) { [unowned self] in
                self.timers[id] = nil
                self.execute(self.connector.timerFired(id))
            }
        }
    }

    private func end(_ id: AttemptID) {
        live.remove(id)
        attempts[id]?.cancel()
    }

    private func checkSettled() {
        if connector.isFinished, live.isEmpty, !settling {
            settling = true
            network.loop.stop()
        }
    }

    // MARK: Reports from attempts

    func watchSYNs(of connection: TCPConnectionID, for attempt: AttemptID) {
        synWatch[attempt] = connection
    }

    func reach(_ phase: AttemptPhase, attempt: AttemptID) {
        timeline.reach(phase, attempt: attempt, at: now)
    }

    func attemptSucceeded(_ id: AttemptID) {
        live.remove(id)
        execute(connector.attemptSucceeded(id))
    }

    func attemptFailed(_ id: AttemptID, _ failure: AttemptFailure) {
        live.remove(id)
        timeline.fail(id, failure, at: now)
        execute(connector.attemptFailed(id, failure))
    }

    func attemptRedirected(_ id: AttemptID, url: String) {
        live.remove(id)
        timeline.redirect(id, to: url, at: now)
        execute(connector.attemptRedirected(id, url: url))
    }

    /// SplitMix64's finaliser: independent seeds for each component from the run's one seed.
    static func mix(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var z = seed &+ salt &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
