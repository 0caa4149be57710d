import Testing
import NetSim
import RunCore

@Suite("TCP connection setup, per client OS")
struct TCPHandshakeTests {
    @Test("an open port connects after one round trip; the server accepts half a round trip later")
    func openPort() throws {
        let topology = Topology()
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        topology.network.listen(on: topology.server, port: 1935, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        topology.network.loop.run()
        #expect(client.connectedAt == ms(40))
        #expect(server.acceptedAt == ms(60))
        // SYN, SYN-ACK, ACK, with sequence numbers of a real stream.
        let segments = topology.network.trace.packets.compactMap { packet -> TCPSegment? in
            if case .tcp(let segment) = packet.content { segment } else { nil }
        }
        try #require(segments.count == 3)
        #expect(segments[0].flags == .syn)
        #expect(segments[1].flags == [.syn, .ack])
        #expect(segments[1].acknowledgement == segments[0].sequence &+ 1)
        #expect(segments[2].flags == .ack)
        #expect(segments[2].sequence == segments[0].sequence &+ 1)
        #expect(segments[2].acknowledgement == segments[1].sequence &+ 1)
        #expect(topology.network.trace.packets.map(\.time) == [ms(0), ms(20), ms(40)])
    }

    @Test("a closed port answers the SYN with a reset: refused after one round trip")
    func closedPort() {
        let topology = Topology()
        let client = RecordingApp(network: topology.network)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        topology.network.loop.run()
        #expect(client.failure?.error == .refused)
        #expect(client.failure?.time == ms(40))
        #expect(topology.network.openConnectionCount == 0)
    }

    static let dropAll = Firewall(rules: [FirewallRule(ports: [], action: .drop)])

    @Test(
        "a silently dropped SYN is retransmitted on the OS schedule and fails with ETIMEDOUT",
        arguments: OSProfile.all
    )
    func synSchedule(profile: OSProfile) {
        let expected: [String: (synSeconds: [Int64], failureSecond: Int64)] = [
            "windows": ([0, 3, 9], 21),
            "linux-legacy": ([0, 1, 3, 7, 15, 31, 63], 127),
            "linux": ([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67], 131),
            "macos": ([0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67], 75),
        ]
        guard let (synSeconds, failureSecond) = expected[profile.name] else {
            Issue.record("no expectation for \(profile.name)")
            return
        }
        let topology = Topology(os: profile, firewall: Self.dropAll)
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        topology.network.listen(on: topology.server, port: 1935, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)

        topology.network.loop.run(until: SimTime(.seconds(failureSecond)) + .nanoseconds(-1))
        #expect(client.failure == nil, "still trying 1 ns before \(failureSecond) s")
        topology.network.loop.run()
        #expect(client.failure?.error == .connectTimedOut)
        #expect(client.failure?.time == SimTime(.seconds(failureSecond)))
        #expect(profile.connectTimeout == .seconds(failureSecond))
        let synTimes = topology.network.trace.packets.map(\.time)
        #expect(synTimes == synSeconds.map { SimTime(.seconds($0)) })
        #expect(topology.network.trace.packets.allSatisfy { $0.fate == .dropped(rule: 0) })
        #expect(server.entries.isEmpty)
    }

    @Test("a firewall reset: refused after one round trip, the server never sees the SYN")
    func rejectReset() {
        let topology = Topology(firewall: Firewall(rules: [FirewallRule(port: 1935, action: .reject)]))
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        topology.network.listen(on: topology.server, port: 1935, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        topology.network.loop.run()
        #expect(client.failure?.error == .refused)
        #expect(client.failure?.time == ms(40))
        #expect(server.entries.isEmpty)
        #expect(topology.network.trace.packets.first?.fate == .rejected(rule: 0))
    }

    @Test(
        "ICMP unreachable ends a SYN_SENT attempt at once, with the errno its code maps to",
        arguments: ICMPUnreachable.Code.allCases
    )
    func rejectICMP(code: ICMPUnreachable.Code) {
        let error: TCPError = switch code {
        case .port: .refused
        case .host, .adminProhibited: .hostUnreachable
        case .network: .networkUnreachable
        }
        let topology = Topology(firewall: Firewall(rules: [FirewallRule(port: 443, action: .rejectICMP(code))]))
        let client = RecordingApp(network: topology.network)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(443), handler: client)
        topology.network.loop.run()
        #expect(client.failure?.error == error)
        #expect(client.failure?.time == ms(40))
        guard case .icmp(let message) = topology.network.trace.packets.last?.content else {
            Issue.record("no ICMP in the trace")
            return
        }
        #expect(message.code == code)
        #expect(message.source == Topology.firewallAddress)
    }

    @Test("rules apply by port in order; the first match wins and no match allows")
    func ruleOrder() {
        let firewall = Firewall(rules: [
            FirewallRule(port: 80, action: .allow),
            FirewallRule(ports: [80, 443], action: .reject),
            FirewallRule(ports: [1935, 8080], action: .drop),
        ])
        #expect(firewall.verdict(port: 80, at: .zero)?.index == 0)
        #expect(firewall.verdict(port: 443, at: .zero)?.action == .reject)
        #expect(firewall.verdict(port: 8080, at: .zero)?.action == .drop)
        #expect(firewall.verdict(port: 22, at: .zero) == nil)
    }

    @Test("a rule with a time window holds from `from` (inclusive) until `until` (exclusive)")
    func timeWindow() {
        // The simulated firewall judges at the virtual clock's time: one nanosecond either side.
        let firewall = Firewall(rules: [FirewallRule(port: 1935, action: .drop, from: .seconds(10), until: .seconds(40))])
        #expect(firewall.verdict(port: 1935, at: SimTime(.seconds(10)) + .nanoseconds(-1)) == nil)
        #expect(firewall.verdict(port: 1935, at: SimTime(.seconds(10)))?.action == .drop)
        #expect(firewall.verdict(port: 1935, at: SimTime(.seconds(40)) + .nanoseconds(-1))?.action == .drop)
        #expect(firewall.verdict(port: 1935, at: SimTime(.seconds(40))) == nil)
        #expect(firewall.verdict(port: 443, at: SimTime(.seconds(20))) == nil)
    }

    @Test("a SYN retransmitted after the window closes gets through (Windows: SYNs at 35, 38, 44 s)")
    func windowCloses() {
        let firewall = Firewall(rules: [FirewallRule(port: 1935, action: .drop, from: .seconds(10), until: .seconds(40))])
        let topology = Topology(firewall: firewall)
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        topology.network.listen(on: topology.server, port: 1935, handler: server)
        topology.network.loop.schedule(at: SimTime(.seconds(35))) {
            topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        }
        topology.network.loop.run()
        #expect(client.connectedAt == SimTime(.seconds(44)) + .milliseconds(40))
        let before = Topology(firewall: firewall)
        let early = RecordingApp(network: before.network)
        before.network.listen(on: before.server, port: 1935, handler: RecordingApp(network: before.network))
        before.network.connect(from: before.client, to: before.serverEndpoint(1935), handler: early)
        before.network.loop.run()
        #expect(early.connectedAt == ms(40), "a connection opened before the window is not affected")
    }

    @Test("a SYN lost on a lossy path costs the OS's first RTO (Windows 3 s, Linux 1 s)")
    func lostSYN() {
        for (profile, rto) in [(OSProfile.windows, Int64(3)), (.linux, 1)] {
            var delayed = 0
            for seed in UInt64(1)...60 {
                let network = SimNetwork(seed: seed)
                let clientHost = network.addHost(address: Topology.clientAddress, profile: profile)
                let serverHost = network.addHost(address: Topology.serverAddress)
                network.setPath(from: clientHost, to: serverHost, conditions: LinkConditions(latency: .milliseconds(20), loss: 0.3))
                network.setPath(from: serverHost, to: clientHost, conditions: LinkConditions(latency: .milliseconds(20)))
                network.listen(on: serverHost, port: 80, handler: RecordingApp(network: network))
                let client = RecordingApp(network: network)
                network.connect(from: clientHost, to: SimEndpoint(Topology.serverAddress, 80), handler: client)
                network.loop.run(until: SimTime(.seconds(60)))
                let firstSYNLost = network.trace.packets.first?.fate == .lost
                let secondSYNDelivered: Bool
                if network.trace.packets.count > 1, case .delivered = network.trace.packets[1].fate { secondSYNDelivered = true } else { secondSYNDelivered = false }
                if firstSYNLost, secondSYNDelivered {
                    delayed += 1
                    #expect(client.connectedAt == SimTime(.seconds(rto)) + .milliseconds(40), "seed \(seed)")
                }
                if !firstSYNLost {
                    #expect(client.connectedAt == ms(40), "seed \(seed)")
                }
            }
            #expect(delayed > 5, "the sample must contain lost first SYNs")
        }
    }
}

@Suite("TCP setup: assumptions a scenario can opt into, and SYN-ACK loss")
struct TCPAssumptionTests {
    @Test("a profile that retries after a reset: refused only after its retries (0.5 s, 0.5 s)")
    func retriesAfterReset() {
        var profile = OSProfile.windows
        profile.synRetriesAfterReset = [.milliseconds(500), .milliseconds(500)]
        let topology = Topology(os: profile)
        let client = RecordingApp(network: topology.network)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        topology.network.loop.run()
        // SYN at 0, reset at 40 ms; SYN at 540 ms, reset at 580 ms; SYN at 1080 ms, reset at 1120 ms.
        #expect(client.failure?.error == .refused)
        #expect(client.failure?.time == ms(1_120))
        #expect(topology.network.synLog.values.first == [ms(0), ms(540), ms(1_080)])
        #expect(OSProfile.all.allSatisfy { $0.synRetriesAfterReset.isEmpty }, "no built-in profile assumes it")
    }

    @Test("a lost SYN-ACK is resent by the server after 1 s, before Windows' 3 s SYN retransmission")
    func lostSYNACK() {
        var examined = 0
        for seed in UInt64(1)...60 {
            let network = SimNetwork(seed: seed)
            let clientHost = network.addHost(address: Topology.clientAddress, profile: .windows)
            let serverHost = network.addHost(address: Topology.serverAddress)
            network.setPath(from: clientHost, to: serverHost, conditions: LinkConditions(latency: .milliseconds(20)))
            network.setPath(from: serverHost, to: clientHost, conditions: LinkConditions(latency: .milliseconds(20), loss: 0.3))
            network.listen(on: serverHost, port: 80, handler: RecordingApp(network: network))
            let client = RecordingApp(network: network)
            network.connect(from: clientHost, to: SimEndpoint(Topology.serverAddress, 80), handler: client)
            network.loop.run(until: SimTime(.seconds(30)))
            let synAcks = network.trace.packets.filter {
                if case .tcp(let segment) = $0.content { segment.flags == [.syn, .ack] } else { false }
            }
            guard synAcks.count >= 2, synAcks[0].fate == .lost, case .delivered = synAcks[1].fate else { continue }
            examined += 1
            #expect(synAcks[1].time == ms(1_020), "seed \(seed)")
            #expect(client.connectedAt == ms(1_040), "seed \(seed)")
        }
        #expect(examined > 3)
    }
}
