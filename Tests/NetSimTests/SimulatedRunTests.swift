import Connector
import Testing
import NetSim
import RunCore

@Suite("Simulated runs: the real connector and sessions on the simulated network")
struct SimulatedRunTests {
    static let url = "rtmp://media.example.com/live"
    static let wan = LinkConditions(latency: .milliseconds(20))

    static func scenario(url: String = url, firewall: [FirewallRule], proxy: SimulatedScenario.ClientProxy? = nil) -> SimulatedScenario {
        SimulatedScenario(url: url, clientOS: .windows, clientProxy: proxy, network: wan, firewall: Firewall(rules: firewall))
    }

    static func run(_ scenario: SimulatedScenario, _ preset: Preset, seed: UInt64 = 1) throws -> SimulatedRunResult {
        try SimulatedRun(scenario: scenario, policy: preset.policy, seed: seed).run()
    }

    @Test("an open network: flash-builtin connects on rtmp:1935 after TCP + handshake + connect round trips")
    func openNetwork() throws {
        let result = try Self.run(Self.scenario(firewall: []), .flashBuiltin)
        #expect(result.outcome == .connected)
        #expect(result.winnerLabel == "rtmp:1935")
        // SYN/SYN-ACK 40 ms; C0+C1 → S0+S1+S2 40 ms; C2+connect → _result 40 ms.
        #expect(result.timeToConnect == .milliseconds(120))
        let attempt = try #require(result.timeline.attempts.first)
        #expect(attempt.time(of: .tcpConnected) == .milliseconds(40))
        #expect(attempt.time(of: .handshakeDone) == .milliseconds(80))
        #expect(attempt.time(of: .connectResult) == .milliseconds(120))
        #expect(attempt.ending == .won)
        #expect(result.serverCost == ServerCost(
            connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0, peakConnections: 1, peakHandshakes: 1))
    }

    @Test("the doc comment's example: 1935 dropped, flash-builtin connects on rtmp:443 at 21.12 s")
    func docExample() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live", network: LinkConditions(latency: .milliseconds(20)),
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop)])
        )
        let result = try SimulatedRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
        #expect(result.timeToConnect == .seconds(21) + .milliseconds(120))
        #expect(result.winnerLabel == "rtmp:443")
    }

    @Test("1935 and 443 dropped, 80 open: flash-builtin connects via rtmp:80 after two 21 s timeouts")
    func dropTwo() throws {
        let result = try Self.run(
            Self.scenario(firewall: [FirewallRule(port: 1935, action: .drop), FirewallRule(port: 443, action: .drop)]),
            .flashBuiltin
        )
        #expect(result.outcome == .connected)
        #expect(result.winnerLabel == "rtmp:80")
        #expect(result.timeToConnect == .seconds(42) + .milliseconds(120))
        let endings = result.timeline.attempts.map(\.endingLabel)
        #expect(endings == ["timeout(os)", "timeout(os)", "won"])
        #expect(result.synTimes[result.timeline.attempts[0].id] == [.zero, .seconds(3), .seconds(9)])
    }

    @Test("the same with reject: flash-builtin connects via rtmp:80 in well under a second")
    func rejectTwo() throws {
        let result = try Self.run(
            Self.scenario(firewall: [FirewallRule(port: 1935, action: .reject), FirewallRule(port: 443, action: .reject)]),
            .flashBuiltin
        )
        #expect(result.winnerLabel == "rtmp:80")
        #expect(result.timeToConnect == .milliseconds(40 + 40 + 120))
        #expect(result.timeline.attempts.map(\.endingLabel) == ["refused", "refused", "won"])
    }

    @Test("an explicit :1935 dropped: flash-builtin fails at 21 s with no fallback")
    func explicitPort() throws {
        let result = try Self.run(
            Self.scenario(url: "rtmp://media.example.com:1935/live", firewall: [FirewallRule(port: 1935, action: .drop)]),
            .flashBuiltin
        )
        #expect(result.outcome == .failed)
        #expect(result.timeToFail == .seconds(21))
        #expect(result.timeline.attempts.count == 1)
        #expect(result.serverCost.connectionsAccepted == 0)
    }
}

@Suite("Simulated runs: transports and middleboxes")
struct SimulatedTransportTests {
    static func policy(_ candidates: [String], mode: Policy.Mode = .sequential) throws -> Policy {
        Policy(name: "test", mode: mode, candidates: try candidates.map { try CandidateSpec(parsing: $0) })
    }

    @Test("rtmps:443 costs the TLS model's one extra round trip before the RTMP handshake (TLS 1.3)")
    func rtmps() throws {
        let scenario = SimulatedScenario(url: "rtmps://media.example.com/live", network: SimulatedRunTests.wan)
        let result = try SimulatedRun(scenario: scenario, policy: Self.policy(["url"]), seed: 3).run()
        #expect(result.outcome == .connected)
        #expect(result.winnerLabel == "rtmps:443")
        // TCP 40 ms; TLS: hello → the server's flight, then the client's Finished leaves with C0+C1:
        // 40 ms; RTMP 80 ms.
        #expect(result.timeToConnect == .milliseconds(160))
        let firstData = result.trace.packets.first { packet in
            if case .tcp(let segment) = packet.content { !segment.payload.isEmpty } else { false }
        }
        guard case .tcp(let hello) = firstData?.content else {
            Issue.record("no data in the trace")
            return
        }
        #expect(hello.payload.first == 0x16)
    }

    @Test("rtmp to a transparent proxy on 80: the TCP connect succeeds, then 400 and close end the attempt")
    func transparentProxyRejectsRTMP() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com:80/live", network: SimulatedRunTests.wan,
            firewall: Firewall(rules: [FirewallRule(port: 80, action: .httpOnly(onNonHTTP: .error, idleTimeout: .seconds(300)))])
        )
        let result = try SimulatedRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
        #expect(result.outcome == .failed)
        let attempt = try #require(result.timeline.attempts.first)
        #expect(attempt.time(of: .tcpConnected) == .milliseconds(40))
        #expect(attempt.ending == .closed)
        #expect(attempt.end == .milliseconds(80))
        #expect(result.serverCost.connectionsAccepted == 0)
    }

    @Test("a silent server: the connect never gets an answer; a policy timeout ends the attempt")
    func silentServer() throws {
        var scenario = SimulatedScenario(url: "rtmp://media.example.com/live", network: SimulatedRunTests.wan)
        scenario.serverSession.behavior = .silent
        var policy = try Self.policy(["url"])
        policy.attemptTimeout = .seconds(5)
        let result = try SimulatedRun(scenario: scenario, policy: policy, seed: 1).run()
        #expect(result.outcome == .failed)
        #expect(result.timeToFail == .seconds(5))
        #expect(result.timeline.attempts.first?.endingLabel == "timeout(policy)")
        #expect(result.serverCost.handshakesCompleted == 1)
        #expect(result.serverCost.wastedConnections == 1)
    }

    @Test("a rejecting server: the attempt ends rejected after the connect round trip")
    func rejectingServer() throws {
        var scenario = SimulatedScenario(url: "rtmp://media.example.com/live", network: SimulatedRunTests.wan)
        scenario.serverSession.behavior = .reject(description: "not here")
        let result = try SimulatedRun(scenario: scenario, policy: Self.policy(["url"]), seed: 1).run()
        #expect(result.outcome == .failed)
        #expect(result.timeline.attempts.first?.ending == .rejected)
        #expect(result.timeline.attempts.first?.detail == "not here")
        #expect(result.timeline.attempts.first?.time(of: .connectResult) == .milliseconds(120))
    }

    @Test("same seed, same result and trace; a run does not depend on what ran before it")
    func determinism() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live",
            network: LinkConditions(latency: .milliseconds(30), jitter: .milliseconds(10), bandwidth: 2_000_000, loss: 0.03),
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop)])
        )
        func fingerprint(_ result: SimulatedRunResult) -> Fingerprint {
            let packets = result.trace.packets.map { packet -> String in
                guard case .tcp(let s) = packet.content else { return "icmp" }
                return "\(packet.time)|\(s.source)|\(s.destination)|\(s.sequence)|\(s.flags.rawValue)|\(s.payload.reduce(0) { $0 &* 31 &+ Int($1) })"
            }
            return Fingerprint(timeline: result.timeline, packets: packets)
        }
        struct Fingerprint: Equatable {
            let timeline: ConnectionTimeline
            let packets: [String]
        }
        let policy = Preset.flashBuiltin.policy
        let first = fingerprint(try SimulatedRun(scenario: scenario, policy: policy, seed: 9).run())
        _ = try SimulatedRun(scenario: scenario, policy: Preset.happyEyeballs.policy, seed: 4).run()
        let second = fingerprint(try SimulatedRun(scenario: scenario, policy: policy, seed: 9).run())
        let other = fingerprint(try SimulatedRun(scenario: scenario, policy: policy, seed: 10).run())
        #expect(first == second)
        #expect(first.packets != other.packets)
        #expect(first.packets.count > 10)
    }

    @Test("the oracle is the fastest single candidate from t = 0, and regret is measured against it")
    func oracle() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live", network: SimulatedRunTests.wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop), FirewallRule(port: 443, action: .drop)])
        )
        let run = SimulatedRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1)
        let result = try run.run()
        #expect(try run.oracle() == .milliseconds(120))
        #expect(try run.regret(of: result) == .seconds(42))
    }
}

@Suite("Simulated runs: a thundering herd")
struct SimulatedHerdTests {
    @Test("ten Windows players after an outage: each connects as one would, the server pays for all")
    func herd() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live", network: SimulatedRunTests.wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .reject)])
        )
        let run = SimulatedRun(scenario: scenario, policy: Preset.happyEyeballs.policy, seed: 2)
        let single = try run.run()
        let herd = try run.runHerd(clients: 10)
        #expect(herd.count == 10)
        for result in herd {
            #expect(result.outcome == .connected)
            #expect(result.winnerLabel == single.winnerLabel)
            #expect(result.timeToConnect == single.timeToConnect, "an ideal link: no client slows another")
        }
        #expect(herd[0].serverCost.handshakesCompleted == 10 * single.serverCost.handshakesCompleted)
        #expect(herd[0].serverCost.connectionsAccepted == 10 * single.serverCost.connectionsAccepted)
        #expect(herd[0].serverCost.wastedConnections == herd[0].serverCost.connectionsAccepted - 10)
        // Each client has its own address.
        let sources = Set(herd[0].trace.packets.compactMap { packet -> IPv4Address? in
            guard case .tcp(let segment) = packet.content, segment.flags == .syn else { return nil }
            return segment.source.address
        })
        #expect(sources.count == 10)
    }

    @Test("a herd size outside 1…100,000 is a typed error")
    func invalidSize() {
        let run = SimulatedRun(scenario: SimulatedScenario(url: "rtmp://media.example.com/live"), policy: Preset.flowplayer.policy, seed: 1)
        #expect(SimulatedRun.maximumClients == 100_000)
        #expect(throws: SimulatedRun.HerdError.invalidClientCount(0)) { _ = try run.runHerd(clients: 0) }
        #expect(throws: SimulatedRun.HerdError.invalidClientCount(100_001)) { _ = try run.runHerd(clients: 100_001) }
    }
}

@Suite("Simulated runs: a herd shares its access link")
struct SimulatedHerdLinkTests {
    @Test("on a 1 Mbit/s access link, twenty players slow each other down")
    func sharedBottleneck() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live", clientOS: .windows,
            network: LinkConditions(latency: .milliseconds(20), bandwidth: 1_000_000)
        )
        let run = SimulatedRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 5)
        let single = try #require(try run.run().timeToConnect)
        let herd = try run.runHerd(clients: 20)
        let times = herd.compactMap(\.timeToConnect)
        #expect(times.count == 20)
        #expect(times.allSatisfy { $0 >= single })
        let slowest = try #require(times.max())
        #expect(slowest > single + .milliseconds(100), "3 KB handshakes × 20 clients queue on 1 Mbit/s")
        #expect(herd.allSatisfy { $0.winnerLabel == "rtmp:1935" })
    }
}

@Suite("Simulated runs: the server's peak concurrency in a herd")
struct SimulatedHerdPeakTests {
    static let parallel = Policy(
        name: "both-at-once", mode: .parallel, candidates: [.transport(.rtmp, 1935), .transport(.rtmp, 443)])

    /// Three clients, 20 ms each way, nothing blocked. Every SYN reaches the server at 20 ms, every
    /// C0+C1 at 60 ms, every C2 at 100 ms; the winners' `_result` arrives at 120 ms and the closes
    /// reach the server at 140 ms. So every connection of every client is open at once between 60
    /// and 140 ms, and every handshake is in progress at once between 60 and 100 ms.
    static func herd(_ policy: Policy, firewall: [FirewallRule] = [], clients: Int = 3) throws -> [SimulatedRunResult] {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com/live", network: SimulatedRunTests.wan, firewall: Firewall(rules: firewall))
        return try SimulatedRun(scenario: scenario, policy: policy, seed: 4).runHerd(clients: clients)
    }

    @Test("a parallel policy doubles the peak: 3 clients × 2 candidates = 6 connections and 6 handshakes at once")
    func parallelDoubles() throws {
        let herd = try Self.herd(Self.parallel)
        #expect(herd.allSatisfy { $0.winnerLabel == "rtmp:1935" && $0.timeToConnect == .milliseconds(120) })
        let cost = herd[0].serverCost
        #expect(cost.connectionsAccepted == 6)
        #expect(cost.peakConnections == 6)
        #expect(cost.peakHandshakes == 6)
        #expect(herd.allSatisfy { $0.serverCost == cost }, "the herd's one server: every client's row carries it")
    }

    @Test("a sequential policy on the same network: 3 clients, 3 connections at once")
    func sequentialIsOnePerClient() throws {
        let herd = try Self.herd(Preset.flashBuiltin.policy)
        let cost = herd[0].serverCost
        #expect(cost.connectionsAccepted == 3)
        #expect(cost.peakConnections == 3)
        #expect(cost.peakHandshakes == 3)
    }

    @Test("a dropped port never reaches the server: only the 443 attempts count")
    func droppedPortCostsNothing() throws {
        let herd = try Self.herd(Self.parallel, firewall: [FirewallRule(port: 1935, action: .drop)])
        #expect(herd.allSatisfy { $0.winnerLabel == "rtmp:443" })
        #expect(herd[0].serverCost.peakConnections == 3)
        #expect(herd[0].serverCost.connectionsAccepted == 3)
    }

    @Test("staggered by 200 ms, the second attempt never overlaps the first: the peak stays at one per client")
    func staggerAfterTheWin() throws {
        // The first attempt wins at 120 ms, before the second is due: it never starts.
        let staggered = Policy(
            name: "late", mode: .staggered, candidates: [.transport(.rtmp, 1935), .transport(.rtmp, 443)],
            stagger: .milliseconds(200))
        let herd = try Self.herd(staggered)
        #expect(herd[0].serverCost.connectionsAccepted == 3)
        #expect(herd[0].serverCost.peakConnections == 3)
    }

    /// The stagger that decides whether the second attempt's connection overlaps the first at the
    /// server. The server accepts a connection when the client's ACK of its SYN-ACK arrives: the
    /// second attempt, started at `stagger`, is accepted at `stagger` + 60 ms, if the client had its
    /// SYN-ACK (at `stagger` + 40 ms) before the win at 120 ms cancelled the attempt. The first
    /// connection is open at the server until the winner's close arrives at 140 ms. So 79 ms gives
    /// an accept at 139 ms, beside the first: 6 at once; 81 ms gives a SYN-ACK at 121 ms, after the
    /// cancel, and the server never accepts it. (At exactly 80 ms the SYN-ACK and the `_result`
    /// arrive at the same instant, and the event order alone decides.)
    @Test("stagger 1 ms either side of the boundary: 79 ms doubles the peak, 81 ms does not")
    func staggerAtTheBoundary() throws {
        func cost(stagger: Duration) throws -> ServerCost {
            let policy = Policy(
                name: "boundary", mode: .staggered, candidates: [.transport(.rtmp, 1935), .transport(.rtmp, 443)],
                stagger: stagger)
            return try Self.herd(policy)[0].serverCost
        }
        let early = try cost(stagger: .milliseconds(79))
        #expect(early.connectionsAccepted == 6)
        #expect(early.peakConnections == 6)
        let late = try cost(stagger: .milliseconds(81))
        #expect(late.connectionsAccepted == 3)
        #expect(late.peakConnections == 3)
    }
}

@Suite("Simulated runs: a large herd")
struct SimulatedLargeHerdTests {
    @Test("1,000 clients (five times the former limit) all connect, all at once at the server")
    func oneThousand() throws {
        let herd = try SimulatedHerdPeakTests.herd(Preset.flashBuiltin.policy, clients: 1_000)
        #expect(herd.count == 1_000)
        #expect(herd.allSatisfy { $0.timeToConnect == .milliseconds(120) }, "an ideal link: no client slows another")
        #expect(herd[0].serverCost.peakConnections == 1_000)
    }
}
