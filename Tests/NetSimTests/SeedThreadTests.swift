import Connector
import Testing
@testable import NetSim
import RunCore

/// The findings of the seed thread ("rtmpt fallback if rtmp not working ?"), reproduced on the
/// simulated network: a Windows client, a portless `rtmp://` URL, 20 ms one way, the server on 1935
/// (rtmp), 443 (rtmp, rtmps) and 80 (rtmp, rtmpt).
@Suite("The seed thread's scenarios")
struct SeedThreadTests {
    static let url = "rtmp://media.example.com/live"
    static let wan = LinkConditions(latency: .milliseconds(20))
    static let proxy = SimulatedScenario.ClientProxy(
        host: "proxy.example.com", port: 3128, configuration: HTTPProxyConfiguration(latency: .milliseconds(2))
    )

    static func run(_ scenario: SimulatedScenario, _ preset: Preset) throws -> SimulatedRunResult {
        try SimulatedRun(scenario: scenario, policy: preset.policy, seed: 1).run()
    }

    /// The time rtmpt:80 takes alone in `scenario` (TCP, `/open`, handshake, connect through the tunnel).
    static func tunnelAlone(_ scenario: SimulatedScenario) throws -> Duration {
        let candidate = Candidate(scheme: .rtmpt, host: "media.example.com", port: 80, path: "live")
        let alone = SimulatedRuntime(
            scenario: scenario, connector: FallbackConnector(alone: candidate, following: Preset.flashBuiltin.policy),
            seed: 1, recordTrace: false
        ).run()
        return try #require(alone.timeToConnect)
    }

    // MARK: Every direct connection dropped; RTMPT only through the explicit proxy

    static let proxyOnly = SimulatedScenario(
        url: url, clientOS: .windows, clientProxy: proxy, network: wan,
        firewall: Firewall(rules: [FirewallRule(ports: [], action: .drop)])
    )

    @Test("proxy only: rtmpt:80 alone takes the tunnel's round trips through the proxy")
    func tunnelThroughProxy() throws {
        // Client–proxy 4 ms; proxy–server TCP 40 ms; /open, handshake and connect, 44 ms each.
        #expect(try Self.tunnelAlone(Self.proxyOnly) == .milliseconds(4 + 40 + 3 * 44))
    }

    @Test("proxy only: flash-builtin reaches rtmpt:80 after three 21 s timeouts — more than a minute")
    func flashThroughProxy() throws {
        let result = try Self.run(Self.proxyOnly, .flashBuiltin)
        #expect(result.outcome == .connected)
        #expect(result.winnerLabel == "rtmpt:80")
        #expect(result.timeline.attempts.map(\.endingLabel) == ["timeout(os)", "timeout(os)", "timeout(os)", "won"])
        #expect(result.timeToConnect == .seconds(63) + (try Self.tunnelAlone(Self.proxyOnly)))
        let winner = try #require(result.timeline.winningAttempt)
        #expect(winner.time(of: .tunnelOpened) != nil)
        #expect(winner.time(of: .tcpConnected) == .seconds(63) + .milliseconds(4))
    }

    @Test("proxy only: flowplayer connects 250 ms plus the tunnel's round trips")
    func flowplayerThroughProxy() throws {
        let result = try Self.run(Self.proxyOnly, .flowplayer)
        #expect(result.winnerLabel == "rtmpt:80")
        #expect(result.timeToConnect == .milliseconds(250) + (try Self.tunnelAlone(Self.proxyOnly)))
    }

    @Test("proxy only: ncmanager-flex connects 3 s plus the tunnel's round trips")
    func ncmanagerThroughProxy() throws {
        let result = try Self.run(Self.proxyOnly, .ncmanagerFlex)
        #expect(result.winnerLabel == "rtmpt:80")
        #expect(result.timeToConnect == .seconds(3) + (try Self.tunnelAlone(Self.proxyOnly)))
    }

    // MARK: 1935 and 443 dropped (or rejected), 80 open

    static func blocked(_ action: FirewallRule.Action) -> SimulatedScenario {
        SimulatedScenario(
            url: url, clientOS: .windows, network: wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: action), FirewallRule(port: 443, action: action)])
        )
    }

    @Test("1935 and 443 dropped: flash-builtin connects via rtmp:80 after about 42 s")
    func flashDropped() throws {
        let result = try Self.run(Self.blocked(.drop), .flashBuiltin)
        #expect(result.winnerLabel == "rtmp:80")
        #expect(result.timeToConnect == .seconds(42) + .milliseconds(120))
    }

    @Test("1935 and 443 rejected: flash-builtin, flowplayer and happy-eyeballs connect in well under a second")
    func fastResets() throws {
        for preset in [Preset.flashBuiltin, .flowplayer, .happyEyeballs] {
            let result = try Self.run(Self.blocked(.reject), preset)
            #expect(result.outcome == .connected, "\(preset.name)")
            let time = try #require(result.timeToConnect)
            #expect(time < .milliseconds(600), "\(preset.name): \(time)")
        }
        #expect(try Self.run(Self.blocked(.reject), .flashBuiltin).timeToConnect == .milliseconds(40 + 40 + 120))
    }

    @Test("1935 and 443 rejected: the fixed staggers gain nothing — ncmanager-flex about 3 s, jw5-tunneling about 5 s")
    func fixedStaggers() throws {
        let direct = try Self.tunnelAlone(Self.blocked(.reject))
        #expect(direct == .milliseconds(160), "TCP, /open, handshake, connect: 40 ms each")
        let flex = try Self.run(Self.blocked(.reject), .ncmanagerFlex)
        #expect(flex.winnerLabel == "rtmpt:80")
        #expect(flex.timeToConnect == .seconds(3) + direct)
        let jw5 = try Self.run(Self.blocked(.reject), .jw5Tunneling)
        // RTMPMediaProvider's Connect.Failed handler clears `_responded`, so the reset at 40 ms does
        // not stop the tunnel that connectTunneled starts at 5 s.
        #expect(jw5.winnerLabel == "rtmpt:80")
        #expect(jw5.timeToConnect == .seconds(5) + direct)
    }

    @Test("1935 and 443 rejected: akamai gives up at the first reset")
    func akamaiGivesUp() throws {
        let result = try Self.run(Self.blocked(.reject), .akamai)
        #expect(result.outcome == .failed)
        #expect(result.timeToFail == .milliseconds(40))
        #expect(result.timeline.attempts.first?.ending == .refused)
    }

    // MARK: An explicit port

    @Test("rtmp://host:1935/live with 1935 dropped: flash-builtin fails at 21 s with no fallback")
    func explicitPortDropped() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com:1935/live", clientOS: .windows, network: Self.wan,
            firewall: Firewall(rules: [FirewallRule(port: 1935, action: .drop)])
        )
        let result = try Self.run(scenario, .flashBuiltin)
        #expect(result.outcome == .failed)
        #expect(result.timeToFail == .seconds(21))
        #expect(result.timeline.attempts.count == 1)
    }

    // MARK: Reproducibility

    @Test("same seed, identical results under every preset; order of runs does not matter")
    func reproducible() throws {
        let scenarios = [Self.proxyOnly, Self.blocked(.drop), Self.blocked(.reject)]
        var first: [ConnectionTimeline] = []
        for scenario in scenarios {
            for preset in Preset.all { first.append(try Self.run(scenario, preset).timeline) }
        }
        var second: [ConnectionTimeline] = []
        for scenario in scenarios.reversed() {
            for preset in Preset.all.reversed() { second.append(try Self.run(scenario, preset).timeline) }
        }
        #expect(first == Array(second.reversed()))
    }
}

@Suite("RTMPT through middleboxes")
struct TunnelMiddleboxTests {
    static let url = "rtmp://media.example.com/live"

    @Test("the design's corporate firewall: 1935 dropped, 443 rejected, 80 a transparent proxy")
    func corporateFirewall() throws {
        let scenario = SimulatedScenario(
            url: Self.url, clientOS: .windows, network: SeedThreadTests.wan,
            firewall: Firewall(rules: [
                FirewallRule(port: 1935, action: .drop), FirewallRule(port: 443, action: .reject),
                FirewallRule(port: 80, action: .httpOnly(onNonHTTP: .error, idleTimeout: .seconds(300))),
            ])
        )
        let flash = try SeedThreadTests.run(scenario, .flashBuiltin)
        #expect(flash.winnerLabel == "rtmpt:80")
        #expect(flash.timeline.attempts.map(\.endingLabel) == ["timeout(os)", "refused", "closed", "won"])
        // 21 s, then 443's reset (40 ms), then rtmp:80's 400 (TCP 40 ms + one round trip), then the
        // tunnel through the transparent proxy: TCP, /open, handshake, connect, 40 ms each.
        #expect(flash.timeToConnect == .seconds(21) + .milliseconds(40 + 80 + 160))
        let flowplayer = try SeedThreadTests.run(scenario, .flowplayer)
        #expect(flowplayer.winnerLabel == "rtmpt:80")
        #expect(flowplayer.timeToConnect == .milliseconds(250 + 160))
    }

    @Test("a transparent proxy that hangs on non-HTTP holds rtmp:80 until the player's own timeout")
    func hangingProxy() throws {
        let scenario = SimulatedScenario(
            url: "rtmp://media.example.com:80/live", clientOS: .windows, network: SeedThreadTests.wan,
            firewall: Firewall(rules: [FirewallRule(port: 80, action: .httpOnly(onNonHTTP: .hang, idleTimeout: .seconds(60)))])
        )
        let result = try SeedThreadTests.run(scenario, .flashBuiltin)
        #expect(result.outcome == .failed)
        let attempt = try #require(result.timeline.attempts.first)
        #expect(attempt.time(of: .tcpConnected) == .milliseconds(40))
        #expect(attempt.time(of: .handshakeDone) == nil)
        // The proxy gives up 60 s after C0+C1 reached it (60 ms); its FIN takes 20 ms.
        #expect(attempt.end == .seconds(60) + .milliseconds(80))
        #expect(attempt.ending == .closed)
    }

    @Test("a buffering proxy delays nothing that arrives in one piece, and the tunnel still connects")
    func bufferingProxy() throws {
        func time(buffering: Bool) throws -> Duration? {
            let proxy = SimulatedScenario.ClientProxy(
                host: "proxy.example.com", port: 3128,
                configuration: HTTPProxyConfiguration(buffering: buffering, latency: .milliseconds(2))
            )
            let scenario = SimulatedScenario(
                url: Self.url, clientOS: .windows, clientProxy: proxy, network: SeedThreadTests.wan,
                firewall: Firewall(rules: [FirewallRule(ports: [], action: .drop)])
            )
            return try SeedThreadTests.run(scenario, .flowplayer).timeToConnect
        }
        let streaming = try time(buffering: false)
        #expect(streaming == .milliseconds(250 + 4 + 40 + 3 * 44))
        #expect(try time(buffering: true) == streaming)
    }

    @Test("an rtmpt URL on port 1935 passes the proxy as plain HTTP: CONNECT rules do not apply")
    func tunnelOnRTMPPort() throws {
        let proxy = SimulatedScenario.ClientProxy(
            host: "proxy.example.com", port: 3128, configuration: HTTPProxyConfiguration(connectPorts: [443], latency: .milliseconds(2))
        )
        // An rtmpt URL on a port the proxy forwards as plain HTTP: the proxy passes it (absolute URI).
        let scenario = SimulatedScenario(
            url: "rtmpt://media.example.com:1935/live", clientOS: .windows, clientProxy: proxy,
            serverPorts: [1935: [.rtmp, .rtmpt]], network: SeedThreadTests.wan,
            firewall: Firewall(rules: [FirewallRule(ports: [], action: .drop)])
        )
        let result = try SeedThreadTests.run(scenario, .flashBuiltin)
        #expect(result.winnerLabel == "rtmpt:1935")
    }

    @Test("a proxy with no server behind the port answers 502: the attempt ends as a proxy error")
    func proxyBadGateway() throws {
        let proxy = SimulatedScenario.ClientProxy(host: "proxy.example.com", port: 3128)
        let scenario = SimulatedScenario(
            url: "rtmpt://media.example.com:8080/live", clientOS: .windows, clientProxy: proxy,
            network: SeedThreadTests.wan
        )
        let result = try SeedThreadTests.run(scenario, .flashBuiltin)
        #expect(result.outcome == .failed)
        let attempt = try #require(result.timeline.attempts.first)
        #expect(attempt.ending == .proxyError)
        #expect(attempt.detail?.contains("502") == true)
    }
}
