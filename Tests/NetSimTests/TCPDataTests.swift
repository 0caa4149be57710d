import Testing
@testable import NetSim
import RunCore

@Suite("TCP data: segmentation, bandwidth, loss and retransmission, close")
struct TCPDataTests {
    private func dataSegments(_ trace: PacketTrace, from address: IPv4Address) -> [(time: SimTime, segment: TCPSegment, fate: TracedPacket.Fate)] {
        trace.packets.compactMap { packet in
            guard case .tcp(let segment) = packet.content, segment.source.address == address, !segment.payload.isEmpty else { return nil }
            return (packet.time, segment, packet.fate)
        }
    }

    @Test("data is cut at an MSS of 1460 and arrives intact, in consecutive sequence numbers")
    func segmentation() {
        let topology = Topology()
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        let payload = testBytes(10_000)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(payload, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(server.allReceived == payload)
        let segments = dataSegments(topology.network.trace, from: Topology.clientAddress)
        #expect(segments.map(\.segment.payload.count) == [1460, 1460, 1460, 1460, 1460, 1460, 1240])
        for (previous, next) in zip(segments, segments.dropFirst()) {
            #expect(next.segment.sequence == previous.segment.sequence &+ UInt32(previous.segment.payload.count))
        }
        #expect(segments.last?.segment.flags.contains(.psh) == true)
    }

    @Test("bandwidth serialises each packet: 10,000 bytes at 1 Mbit/s arrive 82.24 ms after the ACK clears")
    func bandwidth() {
        let conditions = LinkConditions(latency: .milliseconds(20), bandwidth: 1_000_000)
        let topology = Topology(conditions: conditions)
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(testBytes(10_000), on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        // SYN: 40 bytes take 0.32 ms, then 20 ms; the SYN-ACK likewise: connected at 40.64 ms.
        #expect(client.connectedAt == SimTime(.microseconds(40_640)))
        // The ACK (0.32 ms) then 10,000 bytes + 7 × 40 header bytes (82.24 ms), then 20 ms.
        let lastArrival = server.entries.last { if case .received = $0.event { true } else { false } }?.time
        #expect(lastArrival == SimTime(.microseconds(40_640 + 320 + 82_240 + 20_000)))
    }

    @Test("uniform jitter keeps every one-way delay within latency ± jitter, and reordering is repaired")
    func jitter() {
        let conditions = LinkConditions(latency: .milliseconds(50), jitter: .milliseconds(20))
        let topology = Topology(seed: 3, conditions: conditions)
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        let payload = testBytes(60_000)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(payload, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(server.allReceived == payload)
        var delays: [Duration] = []
        for packet in topology.network.trace.packets {
            if case .delivered(let at) = packet.fate { delays.append(at - packet.time) }
        }
        #expect(delays.allSatisfy { $0 >= .milliseconds(30) && $0 <= .milliseconds(70) })
        #expect(Set(delays).count > 10, "jitter varies the delay")
    }

    @Test("normal jitter: the delays' mean is the latency and their deviation the jitter")
    func normalJitter() {
        var link = Link(conditions: LinkConditions(latency: .milliseconds(100), jitter: .milliseconds(10), jitterDistribution: .normal), random: SimRandom(seed: 5))
        var samples: [Double] = []
        for _ in 0..<5_000 {
            guard let arrival = link.transmit(size: 100, at: .zero) else { continue }
            samples.append(Double(arrival.nanoseconds) / 1_000_000)
        }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let sd = (samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)).squareRoot()
        #expect(abs(mean - 100) < 0.5)
        #expect(abs(sd - 10) < 0.5)
        link = Link(conditions: LinkConditions(latency: .milliseconds(1), loss: 0.25), random: SimRandom(seed: 5))
        var lost = 0
        for _ in 0..<10_000 where link.transmit(size: 100, at: .zero) == nil { lost += 1 }
        #expect(abs(Double(lost) / 10_000 - 0.25) < 0.02)
    }

    @Test("a lost data segment is retransmitted after the RTO (min 300 ms on Windows), then after twice that")
    func retransmission() {
        var examined = 0
        for seed in UInt64(1)...80 {
            let network = SimNetwork(seed: seed)
            let clientHost = network.addHost(address: Topology.clientAddress, profile: .windows)
            let serverHost = network.addHost(address: Topology.serverAddress)
            network.setPath(from: clientHost, to: serverHost, conditions: LinkConditions(latency: .milliseconds(20), loss: 0.4))
            network.setPath(from: serverHost, to: clientHost, conditions: LinkConditions(latency: .milliseconds(20)))
            let server = RecordingApp(network: network)
            let client = RecordingApp(network: network)
            let payload = testBytes(500)
            client.onEvent = { event, connection in
                if case .connected = event { network.send(payload, on: connection) }
            }
            network.listen(on: serverHost, port: 80, handler: server)
            network.connect(from: clientHost, to: SimEndpoint(Topology.serverAddress, 80), handler: client)
            network.loop.run(until: SimTime(.seconds(120)))
            guard client.connectedAt == ms(40) else { continue }
            #expect(server.allReceived == payload, "seed \(seed)")
            let sends = dataSegments(network.trace, from: Topology.clientAddress)
            guard sends.count >= 3 else { continue }
            examined += 1
            // Handshake RTT 40 ms: RTO = max(300 ms, 40 + 4 × 20 ms) = 300 ms, doubling on each expiry.
            #expect(sends[1].time - sends[0].time == .milliseconds(300), "seed \(seed)")
            #expect(sends[2].time - sends[1].time == .milliseconds(600), "seed \(seed)")
            #expect(sends.allSatisfy { $0.segment.sequence == sends[0].segment.sequence })
        }
        #expect(examined > 3, "the sample must contain twice-lost segments")
    }

    @Test("heavy loss both ways still delivers every byte in order, and the trace shows retransmissions")
    func heavyLoss() {
        let conditions = LinkConditions(latency: .milliseconds(30), jitter: .milliseconds(5), loss: 0.15)
        let topology = Topology(seed: 11, os: .linux, conditions: conditions)
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        let up = testBytes(40_000, seed: 1)
        let down = testBytes(30_000, seed: 2)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(up, on: connection) }
        }
        server.onEvent = { event, connection in
            if case .accepted = event { topology.network.send(down, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run(until: SimTime(.seconds(600)))
        #expect(client.connectedAt != nil)
        #expect(server.allReceived == up)
        #expect(client.allReceived == down)
        let sequences = dataSegments(topology.network.trace, from: Topology.clientAddress).map(\.segment.sequence)
        #expect(Set(sequences).count < sequences.count, "some segments were sent twice")
    }

    @Test("close sends FIN after the data; the peer sees the data, then end of stream; nothing leaks")
    func close() {
        let topology = Topology()
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event {
                topology.network.send(Array("bye".utf8), on: connection)
                topology.network.close(connection)
            }
        }
        server.onEvent = { event, connection in
            if case .peerClosed = event { topology.network.close(connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(server.allReceived == Array("bye".utf8))
        #expect(server.peerClosedAt == ms(60))
        #expect(topology.network.openConnectionCount == 0)
        let fins = topology.network.trace.packets.filter {
            if case .tcp(let segment) = $0.content { segment.flags.contains(.fin) } else { false }
        }
        #expect(fins.count == 2)
    }

    @Test("abort resets: the peer reports ECONNRESET half a round trip later")
    func abort() {
        let topology = Topology()
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.abort(connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        // The ACK and the RST both leave at 40 ms: the server accepts, then is reset, at 60 ms.
        #expect(server.failure?.error == .reset)
        #expect(server.failure?.time == ms(60))
        #expect(topology.network.openConnectionCount == 0)
    }

    @Test("same seed, same packets byte for byte; a different seed differs")
    func determinism() {
        func run(seed: UInt64) -> [String] {
            let conditions = LinkConditions(latency: .milliseconds(25), jitter: .milliseconds(8), bandwidth: 2_000_000, loss: 0.05)
            let topology = Topology(seed: seed, conditions: conditions)
            let server = RecordingApp(network: topology.network)
            let client = RecordingApp(network: topology.network)
            client.onEvent = { event, connection in
                if case .connected = event { topology.network.send(testBytes(20_000), on: connection) }
            }
            topology.network.listen(on: topology.server, port: 80, handler: server)
            topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
            topology.network.loop.run()
            return topology.network.trace.packets.map { packet in
                guard case .tcp(let s) = packet.content else { return "icmp" }
                return "\(packet.time) \(packet.fate) \(s.source)>\(s.destination) \(s.sequence) \(s.acknowledgement) \(s.flags.rawValue) \(s.payload.reduce(0) { $0 &* 31 &+ Int($1) })"
            }
        }
        #expect(run(seed: 4) == run(seed: 4))
        #expect(run(seed: 4) != run(seed: 5))
    }
}
