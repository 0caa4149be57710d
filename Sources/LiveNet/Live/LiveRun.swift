import Connector
import NIOCore
import NIOPosix

/// A connector run on a live network: the real `FallbackConnector` and the real RTMP sessions, on
/// real sockets and the real clock. Mirrors `NetSim.SimulatedRun` and records the same
/// `ConnectionTimeline`, so the Lab reports a live run exactly like a simulated one.
///
/// ```swift
/// let scenario = LiveScenario(url: "rtmp://media.example.com/live",
///                             firewall: [LiveFirewallRule(ports: [1935], action: .reject)])
/// let result = try await LiveRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
/// result.winnerLabel   // rtmp:443, a few milliseconds after 1935's reset
/// ```
///
/// Each run builds its own loopback network (server, kernel ports, relays) and tears it down, on
/// every path, before it returns; host names all resolve to that network.
public struct LiveRun: Sendable {
    public var scenario: LiveScenario
    public var policy: Policy
    public var seed: UInt64
    /// The whole run never takes longer than this: a connector still undecided then is an error.
    public var bound: Duration
    /// After the connector decided, losers still running get this long to end on their own.
    public var settleLimit: Duration

    public init(
        scenario: LiveScenario, policy: Policy, seed: UInt64, bound: Duration = .seconds(60),
        settleLimit: Duration = .seconds(2)
    ) {
        self.scenario = scenario
        self.policy = policy
        self.seed = seed
        self.bound = bound
        self.settleLimit = settleLimit
    }

    /// Runs the connector until it decides and its losers ended (or had `settleLimit`).
    public func run(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(LiveRunError) -> LiveRunResult {
        let connector: FallbackConnector
        do {
            connector = try FallbackConnector(policy: policy, url: scenario.url)
        } catch {
            throw .setup("\(error)")
        }
        let loop = group.next()
        let ports = Set(connector.candidates.map { UInt16(clamping: $0.port) })
        let network = try await LoopbackNetwork.start(scenario, extraPorts: ports, seed: LivePlayer.mix(seed, 0x5E87_E800), on: loop)
        let clock = ContinuousClock()
        let began = clock.now
        let scenario = self.scenario
        let seed = self.seed
        let bound = self.bound
        let settleLimit = self.settleLimit
        let outcome: (decided: Bool, timeline: ConnectionTimeline, synTimes: [AttemptID: [Duration]])?
        do {
            let player = try await loop.submit {
                let player = LivePlayer(
                    connector: connector, network: network, scenario: scenario, seed: seed, bound: bound,
                    settleLimit: settleLimit, loop: loop)
                player.start()
                return NIOLoopBound(player, eventLoop: loop)
            }.get()
            let decided = try await loop.flatSubmit { player.value.settledFuture }.get()
            outcome = try await loop.submit {
                player.value.stop()
                return (decided, player.value.timeline, player.value.synTimes)
            }.get()
        } catch {
            outcome = nil
        }
        let statistics = await network.server.statistics()
        await network.shutdown()
        guard let outcome else { throw .network("the event loop is shut down") }
        guard outcome.decided else { throw .exceededBound(bound) }
        var timeline = outcome.timeline
        let connected = timeline.outcome == .connected ? 1 : 0
        timeline.serverCost = ServerCost(
            connectionsAccepted: statistics.connectionsAccepted,
            handshakesCompleted: statistics.handshakesCompleted,
            wastedConnections: max(0, statistics.connectionsAccepted - connected))
        return LiveRunResult(timeline: timeline, synTimes: outcome.synTimes, wallDuration: clock.now - began)
    }
}
