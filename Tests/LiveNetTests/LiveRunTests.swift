import Connector
import RTMP
import Testing

import LiveNet
import RunCore

/// The connector on the loopback network: each firewall rule with the kernel's or the relay's real
/// answer, the emulated round trip and connect timeout checked at N−1 and N (within the real clock's
/// slack).
@Suite("LiveRun on loopback", .serialized, .timeLimit(.minutes(5)))
struct LiveRunTests {
    static let url = "rtmp://media.example.com/live"
    /// What a loaded machine may add to a real-clock measurement.
    static let slack: Duration = .milliseconds(150)

    static func run(
        _ policy: Policy, firewall: [FirewallRule] = [], latency: Duration = .zero,
        connectTimeout: Duration = .seconds(21), serverPorts: Set<UInt16> = [1935, 443, 80],
        behavior: RTMPServerSession.Behavior = .accept, bound: Duration = .seconds(30)
    ) async throws -> LiveRunResult {
        let scenario = LiveScenario(
            urls: try ConnectURL.parseList(url), connectTimeout: connectTimeout, serverPorts: serverPorts,
            serverSession: .init(behavior: behavior), firewall: firewall, latency: latency)
        return try await LiveRun(scenario: scenario, policy: policy, seed: 7, bound: bound, settleLimit: .milliseconds(200)).run()
    }

    @Test func openNetworkConnectsOnTheURLsPort() async throws {
        let result = try await Self.run(Preset.flashBuiltin.policy)
        #expect(result.outcome == .connected)
        #expect(result.winnerLabel == "rtmp:1935")
        let winner = try #require(result.timeline.winningAttempt)
        #expect(winner.phases[.tcpConnected] != nil)
        #expect(winner.phases[.handshakeDone] != nil)
        #expect(try #require(result.timeToConnect) < Self.slack)
        #expect(result.timeline.serverCost.connectionsAccepted == 1)
        #expect(result.timeline.serverCost.handshakesCompleted == 1)
    }

    @Test func rejectIsARealResetAndFlashMovesTo443() async throws {
        let result = try await Self.run(Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .reject)])
        #expect(result.timeline.attempts.first?.ending == .refused)
        #expect(result.winnerLabel == "rtmp:443")
        #expect(result.timeline.serverCost.connectionsAccepted == 1)
    }

    @Test func rejectICMPIsRefusedOnLoopbackToo() async throws {
        let result = try await Self.run(Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .rejectICMP(.port))])
        #expect(result.timeline.attempts.first?.ending == .refused)
        #expect(result.winnerLabel == "rtmp:443")
    }

    /// The kernel drops the SYN; the attempt ends at the scenario OS's connect timeout, not before.
    @Test func dropEndsAtTheClientOSConnectTimeout() async throws {
        let timeout = Duration.milliseconds(400)
        let result = try await Self.run(
            Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .drop)], connectTimeout: timeout)
        let first = try #require(result.timeline.attempts.first)
        #expect(first.ending == .timeout)
        #expect(first.timeoutOwner == .os)
        #expect(first.phases[.tcpConnected] == nil)
        let ended = try #require(first.end)
        #expect(ended >= timeout)                 // not at N−1
        #expect(ended < timeout + Self.slack)     // at N
        #expect(result.winnerLabel == "rtmp:443")
        #expect(try #require(result.timeToConnect) >= timeout)
        // The dropped SYN never reached the server.
        #expect(result.timeline.serverCost.connectionsAccepted == 1)
    }

    /// The refusal comes back after the emulated round trip, not before.
    @Test func latencyDelaysTheResetByOneRoundTrip() async throws {
        let latency = Duration.milliseconds(60)
        let result = try await Self.run(
            Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .reject)], latency: latency)
        let first = try #require(result.timeline.attempts.first)
        #expect(first.ending == .refused)
        let ended = try #require(first.end)
        #expect(ended >= latency * 2)
        #expect(ended < latency * 2 + Self.slack)
    }

    /// TCP, the handshake and connect each cost a round trip: three in all.
    @Test func latencyCostsThreeRoundTripsToConnect() async throws {
        let latency = Duration.milliseconds(40)
        let result = try await Self.run(Preset.flashBuiltin.policy, latency: latency)
        #expect(result.winnerLabel == "rtmp:1935")
        let time = try #require(result.timeToConnect)
        #expect(time >= latency * 6)
        #expect(time < latency * 6 + Self.slack)
        let winner = try #require(result.timeline.winningAttempt)
        #expect(try #require(winner.phases[.tcpConnected]) >= latency * 2)
    }

    @Test func blackholeHangsUntilThePolicyTimeout() async throws {
        let result = try await Self.run(Preset.happyEyeballs.policy, firewall: [FirewallRule(ports: [1935], action: .blackhole)])
        let first = try #require(result.timeline.attempts.first)
        // The relay completed the TCP handshake; nothing else ever came back.
        #expect(first.phases[.tcpConnected] != nil)
        #expect(first.phases[.handshakeDone] == nil)
        #expect(result.winnerLabel == "rtmp:443")
        let time = try #require(result.timeToConnect)
        #expect(time >= .milliseconds(250))
        #expect(time < .milliseconds(250) + Self.slack)
    }

    @Test func httpOnlyAnswersRawRTMPWith400AndCloses() async throws {
        let result = try await Self.run(
            Preset.flashBuiltin.policy,
            firewall: [FirewallRule(ports: [1935, 443], action: .httpOnly(onNonHTTP: .error, idleTimeout: .seconds(30)))])
        let first = try #require(result.timeline.attempts.first)
        #expect(first.phases[.tcpConnected] != nil)
        #expect(first.ending == .closed)
        #expect(result.timeline.attempts.count >= 2)
        #expect(result.timeline.attempts[1].ending == .closed)
        #expect(result.winnerLabel == "rtmp:80")
        // Nothing of the refused RTMP reached the server.
        #expect(result.timeline.serverCost.connectionsAccepted == 1)
    }

    @Test func httpOnlyHangHoldsRawRTMPUntilThePolicyTimeout() async throws {
        let result = try await Self.run(
            Preset.happyEyeballs.policy,
            firewall: [FirewallRule(ports: [1935], action: .httpOnly(onNonHTTP: .hang, idleTimeout: .seconds(30)))])
        let first = try #require(result.timeline.attempts.first)
        #expect(first.phases[.tcpConnected] != nil)
        #expect(first.phases[.handshakeDone] == nil)
        #expect(result.winnerLabel == "rtmp:443")
    }

    @Test func timeWindowsAreJudgedWhenTheConnectionOpens() async throws {
        // Dropped only from 10 s on: the run at t = 0 is not affected.
        let result = try await Self.run(
            Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .drop, from: .seconds(10))])
        #expect(result.winnerLabel == "rtmp:1935")
        let early = try await Self.run(
            Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [1935], action: .reject, until: .seconds(10))])
        #expect(early.winnerLabel == "rtmp:443")
    }

    @Test func rejectingServerEndsTheAttemptRejected() async throws {
        let result = try await Self.run(Preset.flashBuiltin.policy, behavior: .reject(description: "no"))
        #expect(result.outcome == .failed)
        #expect(result.timeline.attempts.first?.ending == .rejected)
    }

    @Test func anUndecidedRunPastItsBoundIsAnError() async throws {
        await #expect(throws: LiveRunError.exceededBound(.milliseconds(300))) {
            _ = try await Self.run(
                Preset.flashBuiltin.policy, firewall: [FirewallRule(ports: [], action: .drop)], bound: .milliseconds(300))
        }
    }

    @Test func noURLIsASetupError() async throws {
        let scenario = LiveScenario(urls: [])
        await #expect(throws: LiveRunError.self) {
            _ = try await LiveRun(scenario: scenario, policy: Preset.flashBuiltin.policy, seed: 1).run()
        }
    }
}
