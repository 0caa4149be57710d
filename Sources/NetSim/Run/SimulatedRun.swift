import Connector

/// A connector run on the simulated network: the real `FallbackConnector` and the real RTMP sessions,
/// on a virtual clock, deterministic from the seed.
///
/// ```swift
/// let scenario = SimulatedScenario(url: "rtmp://media.example.com/live", network: LinkConditions(latency: .milliseconds(20)),
///                                  firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop)]))
/// let result = try SimulatedRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
/// result.timeToConnect   // 21.12 s: Windows gave up on 1935 after 21 s, then rtmp:443 took 120 ms
/// ```
///
/// Each run builds its own network, server and connector, so a run never depends on what ran before
/// it, and runs can execute concurrently.
package struct SimulatedRun: Sendable {
    package var scenario: SimulatedScenario
    package var policy: Policy
    package var seed: UInt64
    /// Record every packet (for pcap reports); off for benchmarks and Monte Carlo repetitions.
    package var recordTrace: Bool

    package init(scenario: SimulatedScenario, policy: Policy, seed: UInt64, recordTrace: Bool = true) {
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        self.recordTrace = recordTrace
    }

    /// Runs the connector until it connects or gives up and its losers have ended.
    package func run() throws(FallbackConnector.SetupError) -> SimulatedRunResult {
        let connector = try makeConnector()
        return SimulatedRuntime(scenario: scenario, connector: connector, seed: seed, recordTrace: recordTrace).run()
    }

    /// The connector for this run, from the scenario's URL as parsed once (`parsedURLs`); the same
    /// connector and errors as `FallbackConnector(policy:url:)`.
    private func makeConnector() throws(FallbackConnector.SetupError) -> FallbackConnector {
        switch scenario.parsedURLs {
        case .failure(let error):
            throw .url(error)
        case .success(let urls):
            do {
                return try FallbackConnector(policy: policy, urls: urls)
            } catch {
                throw .policy(error)
            }
        }
    }

    /// Why a herd cannot run.
    package enum HerdError: Error, Sendable, Equatable {
        case setup(FallbackConnector.SetupError)
        /// Herds have 1 to `maximumClients` players.
        case invalidClientCount(Int)
    }

    /// The most simultaneous clients a herd run takes.
    package static var maximumClients: Int { SimulatedRuntime.maximumClients }

    /// A thundering herd: `clients` players with this policy start at t = 0 against the same
    /// server, each from its own address behind the same firewall and proxy. One result per client;
    /// the server's cost (all clients together) and the packet trace are shared by every result.
    package func runHerd(clients: Int) throws(HerdError) -> [SimulatedRunResult] {
        guard (1...SimulatedRuntime.maximumClients).contains(clients) else { throw .invalidClientCount(clients) }
        var connectors: [FallbackConnector] = []
        for _ in 0..<clients {
            do {
                connectors.append(try makeConnector())
            } catch {
                throw .setup(error)
            }
        }
        return SimulatedRuntime(scenario: scenario, connectors: connectors, seed: seed, recordTrace: recordTrace).runAll()
    }

    /// The scenario's oracle for this policy's candidates: the fastest any one of them connects when
    /// started alone at t = 0 (no policy timeout: the OS decides), or `nil` if none connects.
    package func oracle() throws(FallbackConnector.SetupError) -> Duration? {
        let candidates = try makeConnector().candidates
        var best: Duration?
        for candidate in candidates {
            let alone = FallbackConnector(alone: candidate, following: policy)
            // Connect alone: the oracle is about time to connect, so its runs do not play.
            var connectOnly = scenario
            connectOnly.play = nil
            let result = SimulatedRuntime(scenario: connectOnly, connector: alone, seed: seed, recordTrace: false).run()
            if let time = result.timeToConnect, best.map({ time < $0 }) ?? true {
                best = time
            }
        }
        return best
    }

    /// The run's regret: its time to connect minus the oracle's; `nil` unless both connected.
    package func regret(of result: SimulatedRunResult) throws(FallbackConnector.SetupError) -> Duration? {
        result.timeline.regret(oracle: try oracle())
    }
}
