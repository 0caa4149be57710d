import Testing
import NetSim
import RunCore

@Suite("Transparent proxy, black hole and explicit HTTP proxy")
struct MiddleboxTests {
    static let rtmpC0C1: [UInt8] = [0x03] + testBytes(1536)
    static let openRequest = Array("POST /open/1 HTTP/1.1\r\nHost: media.example.com\r\nContent-Type: application/x-fcs\r\nContent-Length: 1\r\n\r\n\0".utf8)
    static let openResponse = Array("HTTP/1.1 200 OK\r\nContent-Type: application/x-fcs\r\nContent-Length: 17\r\n\r\n0123456789abcdef\n".utf8)

    private func httpOnly(_ behaviour: FirewallRule.NonHTTPBehaviour, idle: Duration = .seconds(300)) -> Firewall {
        Firewall(rules: [FirewallRule(port: 80, action: .httpOnly(onNonHTTP: behaviour, idleTimeout: idle))])
    }

    /// A server that answers every complete request with `openResponse`.
    private func answeringServer(_ network: SimNetwork) -> RecordingApp {
        let server = RecordingApp(network: network)
        server.onEvent = { event, connection in
            if case .received = event, server.received[connection] == Self.openRequest {
                network.send(Self.openResponse, on: connection)
            }
        }
        return server
    }

    @Test("http-only: the client connects to the proxy at once, even with no server listening")
    func transparentAccepts() {
        let topology = Topology(firewall: httpOnly(.error))
        let client = RecordingApp(network: topology.network)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(client.connectedAt == ms(40))
    }

    @Test("http-only, on-non-http error: raw RTMP gets a 400 one round trip later, then FIN")
    func transparentError() {
        let topology = Topology(firewall: httpOnly(.error))
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.rtmpC0C1, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(String(decoding: client.allReceived, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(client.firstTime { if case .received = $0 { true } else { false } } == ms(80))
        #expect(client.peerClosedAt == ms(80))
        #expect(server.entries.isEmpty, "the server never sees the connection")
    }

    @Test("http-only, on-non-http hang: silence until the idle timeout, then the proxy closes")
    func transparentHang() {
        let topology = Topology(firewall: httpOnly(.hang, idle: .seconds(30)))
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.rtmpC0C1, on: connection) }
        }
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run(until: SimTime(.seconds(30)) + .milliseconds(79))
        #expect(client.allReceived.isEmpty)
        #expect(client.peerClosedAt == nil)
        topology.network.loop.run()
        // The last byte reached the proxy at 60 ms (+ a serialisation-free wire): 30 s idle, 20 ms back.
        #expect(client.peerClosedAt == SimTime(.seconds(30)) + .milliseconds(80))
        #expect(client.allReceived.isEmpty)
    }

    @Test("http-only: HTTP passes to the server and the response comes back; TLS is not HTTP")
    func transparentPassesHTTP() {
        let topology = Topology(firewall: httpOnly(.error))
        let server = answeringServer(topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.openRequest, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(server.allReceived == Self.openRequest)
        #expect(server.acceptedAt == ms(60), "the proxy's own connection to the server is on the server's LAN")
        #expect(client.allReceived == Self.openResponse)
        #expect(client.firstTime { if case .received = $0 { true } else { false } } == ms(80))

    }

    @Test("http-only: a ClientHello (RTMPS) is not HTTP either")
    func transparentRejectsTLS() {
        let topology = Topology(firewall: httpOnly(.error))
        let client = RecordingApp(network: topology.network)
        var tls = TLSModel(role: .client, seed: 1)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(tls.start(), on: connection) }
        }
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(String(decoding: client.allReceived, as: UTF8.self).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
    }

    @Test("http-only: a request split into tiny pieces still passes")
    func transparentReassembles() {
        let topology = Topology(firewall: httpOnly(.error))
        let server = answeringServer(topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            guard case .connected = event else { return }
            for start in stride(from: 0, to: Self.openRequest.count, by: 3) {
                topology.network.send(Array(Self.openRequest[start..<min(start + 3, Self.openRequest.count)]), on: connection)
            }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(80), handler: client)
        topology.network.loop.run()
        #expect(server.allReceived == Self.openRequest)
        #expect(client.allReceived == Self.openResponse)
    }

    @Test("blackhole: connects, acknowledges everything, never answers")
    func blackhole() {
        let topology = Topology(firewall: Firewall(rules: [FirewallRule(port: 1935, action: .blackhole)]))
        let server = RecordingApp(network: topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.rtmpC0C1, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 1935, handler: server)
        topology.network.connect(from: topology.client, to: topology.serverEndpoint(1935), handler: client)
        topology.network.loop.run(until: SimTime(.seconds(600)))
        #expect(client.connectedAt == ms(40))
        #expect(client.allReceived.isEmpty)
        #expect(client.failure == nil)
        #expect(server.entries.isEmpty)
        let clientData = topology.network.trace.packets.filter {
            if case .tcp(let s) = $0.content { s.source.address == Topology.clientAddress && !s.payload.isEmpty } else { false }
        }
        #expect(clientData.count == 2, "C0+C1 in two segments, acknowledged, never retransmitted")
    }

    /// Client ⟷ proxy (2 ms), proxy ⟷ server (20 ms); the client's direct path is dropped.
    private struct ProxyTopology {
        let network = SimNetwork(seed: 1)
        let client: HostID
        let server: HostID
        let proxy: HostID

        init(configuration: HTTPProxyConfiguration) {
            client = network.addHost(address: Topology.clientAddress, profile: .windows)
            server = network.addHost(address: Topology.serverAddress)
            proxy = network.addHost(address: Topology.proxyAddress)
            let wan = LinkConditions(latency: .milliseconds(20))
            network.setPath(between: client, and: server, aToB: wan, bToA: wan)
            network.setPath(between: proxy, and: server, aToB: wan, bToA: wan)
            let lan = LinkConditions(latency: configuration.latency)
            network.setPath(between: client, and: proxy, aToB: lan, bToA: lan)
            network.installFirewall(Firewall(rules: [FirewallRule(ports: [], action: .drop)]), between: client, and: server, address: Topology.firewallAddress)
            _ = ExplicitHTTPProxy(network: network, host: proxy, port: 3128, configuration: configuration, resolve: ["media.example.com": Topology.serverAddress])
        }
    }

    static let proxiedOpen = Array("POST http://media.example.com/open/1 HTTP/1.1\r\nHost: media.example.com\r\nProxy-Connection: Keep-Alive\r\nContent-Type: application/x-fcs\r\nContent-Length: 1\r\n\r\n\0".utf8)

    @Test("explicit proxy: an absolute-URI request is forwarded in origin form; the response returns")
    func absoluteURI() {
        let topology = ProxyTopology(configuration: HTTPProxyConfiguration(latency: .milliseconds(2)))
        let server = answeringServer(topology.network)
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.proxiedOpen, on: connection) }
        }
        topology.network.listen(on: topology.server, port: 80, handler: server)
        topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: client)
        topology.network.loop.run()
        #expect(client.connectedAt == ms(4))
        #expect(server.allReceived == Self.openRequest)
        #expect(client.allReceived == Self.openResponse)
        // 4 ms to the proxy; the request reaches it at 6 ms; proxy-server handshake 40 ms; request 20 ms;
        // response 20 ms back to the proxy, 2 ms to the client.
        #expect(client.firstTime { if case .received = $0 { true } else { false } } == ms(6 + 40 + 20 + 20 + 2))
    }

    @Test("explicit proxy: CONNECT to an allowed port tunnels; to another port it is 403")
    func connectMethod() {
        let topology = ProxyTopology(configuration: HTTPProxyConfiguration(connectPorts: [443], latency: .milliseconds(2)))
        let server = RecordingApp(network: topology.network)
        server.onEvent = { event, connection in
            if case .received = event { topology.network.send(Array("pong".utf8), on: connection) }
        }
        topology.network.listen(on: topology.server, port: 443, handler: server)
        topology.network.listen(on: topology.server, port: 1935, handler: server)

        let allowed = RecordingApp(network: topology.network)
        allowed.onEvent = { event, connection in
            switch event {
            case .connected:
                topology.network.send(Array("CONNECT media.example.com:443 HTTP/1.1\r\nHost: media.example.com:443\r\n\r\n".utf8), on: connection)
            case .received:
                if allowed.received[connection] == Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8) {
                    topology.network.send(Array("ping".utf8), on: connection)
                }
            default:
                return
            }
        }
        let forbidden = RecordingApp(network: topology.network)
        forbidden.onEvent = { event, connection in
            if case .connected = event {
                topology.network.send(Array("CONNECT media.example.com:1935 HTTP/1.1\r\nHost: media.example.com:1935\r\n\r\n".utf8), on: connection)
            }
        }
        topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: allowed)
        topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: forbidden)
        topology.network.loop.run()
        #expect(String(decoding: allowed.allReceived, as: UTF8.self) == "HTTP/1.1 200 Connection established\r\n\r\npong")
        #expect(server.allReceived == Array("ping".utf8))
        #expect(String(decoding: forbidden.allReceived, as: UTF8.self).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        #expect(forbidden.peerClosedAt != nil)
    }

    @Test("explicit proxy, buffering: a response sent in two parts reaches the client only when complete")
    func buffering() {
        func firstByteTime(buffering: Bool) -> (SimTime?, [UInt8]) {
            let topology = ProxyTopology(configuration: HTTPProxyConfiguration(buffering: buffering, latency: .milliseconds(2)))
            let server = RecordingApp(network: topology.network)
            server.onEvent = { event, connection in
                guard case .received = event, server.received[connection] == Self.openRequest else { return }
                topology.network.send(Array(Self.openResponse[0..<80]), on: connection)
                topology.network.loop.schedule(after: .milliseconds(500)) {
                    topology.network.send(Array(Self.openResponse[80...]), on: connection)
                }
            }
            let client = RecordingApp(network: topology.network)
            client.onEvent = { event, connection in
                if case .connected = event { topology.network.send(Self.proxiedOpen, on: connection) }
            }
            topology.network.listen(on: topology.server, port: 80, handler: server)
            topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: client)
            topology.network.loop.run()
            return (client.firstTime { if case .received = $0 { true } else { false } }, client.allReceived)
        }
        let streaming = firstByteTime(buffering: false)
        let buffered = firstByteTime(buffering: true)
        #expect(streaming.0 == ms(88))
        #expect(buffered.0 == ms(588))
        #expect(streaming.1 == Self.openResponse)
        #expect(buffered.1 == Self.openResponse)
    }

    @Test("explicit proxy: an origin-form request or garbage is answered 400")
    func badRequests() {
        let topology = ProxyTopology(configuration: HTTPProxyConfiguration())
        let client = RecordingApp(network: topology.network)
        client.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.openRequest, on: connection) }
        }
        let raw = RecordingApp(network: topology.network)
        raw.onEvent = { event, connection in
            if case .connected = event { topology.network.send(Self.rtmpC0C1, on: connection) }
        }
        topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: client)
        topology.network.connect(from: topology.client, to: SimEndpoint(Topology.proxyAddress, 3128), handler: raw)
        topology.network.loop.run()
        #expect(String(decoding: client.allReceived, as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
        #expect(String(decoding: raw.allReceived, as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
    }
}
