import Connector
import NIOCore
import NIOPosix
import RunCore

/// A connector run on a live network: the real `FallbackConnector` and the real RTMP sessions, on
/// real sockets and the real clock. Mirrors `NetSim.SimulatedRun` and records the same
/// `ConnectionTimeline`, so the Lab reports a live run exactly like a simulated one.
///
/// ```swift
/// let scenario = LiveScenario(urls: [try ConnectURL(parsing: "rtmp://media.example.com/live")],
///                             firewall: [FirewallRule(ports: [1935], action: .reject)])
/// let result = try await LiveRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
/// result.winnerLabel   // rtmp:443, a few milliseconds after 1935's reset
/// ```
///
/// Each run builds its own network (server, kernel ports or nftables rules, relays) and tears it
/// down, on every path, before it returns; host names all resolve to that network.
package struct LiveRun: Sendable {
    package var scenario: LiveScenario
    package var policy: Policy
    package var seed: UInt64
    /// The whole run never takes longer than this: a connector still undecided then is an error.
    package var bound: Duration
    /// After the connector decided, losers still running get this long to end on their own.
    package var settleLimit: Duration
    /// Loopback (no privileges), or the real ports and nftables of the private namespace this
    /// process runs in.
    package var network: LiveNetworkKind
    /// Where to write a packet capture of the run (loopback: `lo` filtered to the run's ports, with
    /// libpcap; a private namespace: the per-packet link's own pcapng, `LinkCaptureFile`); `nil` for
    /// none. A capture that cannot be made (no
    /// `CAP_NET_RAW`) does not fail the run: the result says why there is none.
    package var capturePath: String?

    package init(
        scenario: LiveScenario, policy: Policy, seed: UInt64, bound: Duration = .seconds(60),
        settleLimit: Duration = .seconds(2), network: LiveNetworkKind = .loopback, capturePath: String? = nil
    ) {
        self.network = network
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        self.bound = bound
        self.settleLimit = settleLimit
        self.capturePath = capturePath
    }

    /// Runs the connector until it decides and its losers ended (or had `settleLimit`).
    package func run(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(LiveRunError) -> LiveRunResult {
        let connector: FallbackConnector
        do {
            connector = try FallbackConnector(policy: policy, urls: scenario.urls)
        } catch {
            throw .setup("\(error)")
        }
        let loop = group.next()
        let ports = Set(connector.candidates.map { UInt16(clamping: $0.port) })
        let serverSeed = RunSeeds.server(seed)
        let network: any LiveNetwork
        switch self.network {
        case .loopback:
            network = try await LoopbackNetwork.start(scenario, extraPorts: ports, seed: serverSeed, on: loop)
        case .privateNamespace(let hostNamespace):
            // The player in a namespace of its own, across the per-packet link with the scenario's
            // latency, jitter, loss and bandwidth each way.
            let link = PacketLink(up: scenario.link, down: scenario.link, seed: RunSeeds.link(seed))
            // The link records its own capture: every packet at the end it left from, the lost marked.
            network = try await NamespaceNetwork.start(
                scenario, extraPorts: ports, seed: serverSeed, hostNamespace: hostNamespace, on: loop, link: link,
                capturePath: capturePath)
        }
        // rtmps attempts trust exactly the certificate this run's server made.
        let tls: TLSClient?
        do {
            tls = try network.server.tls.map { identity throws(TLSClientError) in
                try TLSClient(trust: .certificates(identity.certificateChain))
            }
        } catch {
            await network.shutdown()
            await (network as? NamespaceNetwork)?.closeLink()
            throw .network("TLS client: \(error)")
        }
        var capture: Result<LiveCapture, LiveCaptureError>?
        if let capturePath, let loopback = network as? LoopbackNetwork {
            // Only this run's ports of lo.
            let ports = loopback.localPorts
            let limit = self.bound + self.settleLimit + .seconds(30)
            capture = Result { () throws(LiveCaptureError) in
                try LiveCapture.start(interface: "lo", ports: ports, to: capturePath, limit: limit)
            }
        }
        let clock = ContinuousClock()
        let began = clock.now
        let scenario = self.scenario
        let seed = self.seed
        let bound = self.bound
        let settleLimit = self.settleLimit
        let playerLoop = network.playerLoop ?? loop
        let outcome: (decided: Bool, timeline: ConnectionTimeline, synTimes: [AttemptID: [Duration]])?
        do {
            let player = try await playerLoop.submit {
                let player = LivePlayer(
                    connector: connector, network: network, scenario: scenario, seed: seed, bound: bound,
                    settleLimit: settleLimit, tls: tls, loop: playerLoop)
                player.start()
                return NIOLoopBound(player, eventLoop: playerLoop)
            }.get()
            let decided = try await playerLoop.flatSubmit { player.value.settledFuture }.get()
            outcome = try await playerLoop.submit {
                player.value.stop()
                return (decided, player.value.timeline, player.value.synTimes)
            }.get()
        } catch {
            outcome = nil
        }
        let statistics = await network.server.statistics()
        let failure = network.failure()
        await network.shutdown()
        // Stopped after the teardown, so the losers' resets and closes are in the file too.
        var captured = capture.map { started in
            started.flatMap { capture in Result { () throws(LiveCaptureError) in try capture.stop() } }
        }
        if let namespace = network as? NamespaceNetwork {
            await namespace.closeLink()
            if capturePath != nil { captured = namespace.linkCapture }
        }
        guard let outcome else { throw .network("the event loop is shut down") }
        if let failure { throw .network(failure) }
        guard outcome.decided else { throw .exceededBound(bound) }
        var timeline = outcome.timeline
        let connected = timeline.outcome == .connected ? 1 : 0
        timeline.serverCost = ServerCost(
            connectionsAccepted: statistics.connectionsAccepted,
            handshakesCompleted: statistics.handshakesCompleted,
            wastedConnections: max(0, statistics.connectionsAccepted - connected))
        return LiveRunResult(
            timeline: timeline, synTimes: outcome.synTimes, wallDuration: clock.now - began, capture: captured)
    }
}
