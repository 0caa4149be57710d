import Testing
@testable import Connector

/// Seeded random event sequences against every preset: whatever the network reports, in whatever
/// order, the connector never asks for something impossible, finishes once, and always finishes
/// when every attempt fails.
@Suite struct ConnectorRobustnessTests {
    /// SplitMix64: a deterministic generator for the test's event choices.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let failures: [AttemptFailure] = [
        .refused, .unreachable, .osTimeout, .rejected("no"), .closed, .proxyError("403"), .protocolError("bad"),
    ]

    @Test(arguments: Preset.all)
    func everyFailureEndsTheRunInBoundedSteps(preset: Preset) throws {
        var driver = try VirtualDriver(preset, url: "rtmp://media.example.com/live|rtmpt://backup.example.com/live")
        _ = driver.start()
        var steps = 0
        while !driver.connector.isFinished, steps < 1000 {
            steps += 1
            if let id = driver.open.min() {
                _ = driver.advance(ms: 7)
                _ = driver.fail(id.rawValue, .refused)
            } else {
                _ = driver.advance(ms: 100)
            }
        }
        #expect(driver.connector.isFinished)
        #expect(driver.timeline.outcome == .failed)
        #expect(driver.armed.isEmpty)
        #expect(driver.open.isEmpty)
    }

    @Test(arguments: Preset.all, [UInt64(1), 2, 3, 42, 1_000_003])
    func randomEventsKeepTheInvariants(preset: Preset, seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        var driver = try VirtualDriver(preset, url: "rtmp://media.example.com/live")
        _ = driver.start()
        var finishes = 0
        var startedAfterFinish = false
        for _ in 0..<300 {
            let wasFinished = driver.connector.isFinished
            let known = driver.timeline.attempts.map(\.id.rawValue)
            // Sometimes an ID the connector never issued, to check it is ignored.
            let id = known.isEmpty || rng.below(10) == 0 ? 1000 + rng.below(5) : known[rng.below(known.count)]
            let action: FallbackConnector.Action
            switch rng.below(6) {
            case 0: action = driver.succeed(id)
            case 1: action = driver.redirect(id, to: rng.below(2) == 0 ? "rtmp://edge.example.com/live" : "http://x/")
            case 2, 3: action = driver.fail(id, Self.failures[rng.below(Self.failures.count)])
            case 4:
                let actions = driver.advance(ms: rng.below(3000))
                for action in actions where !action.started.isEmpty && wasFinished {
                    startedAfterFinish = true
                }
                finishes += actions.filter { $0.winner != nil || $0.failure != nil }.count
                continue
            default:
                _ = driver.advance(ms: 1)
                continue
            }
            if wasFinished {
                switch action {
                case .wait, .closeLateSuccess: break
                case .proceed, .connected, .failed, .reconnected, .reconnectFailed: startedAfterFinish = true
                }
            }
            if action.winner != nil || action.failure != nil { finishes += 1 }
        }
        #expect(!startedAfterFinish)
        #expect(finishes <= 1)
        if driver.connector.isFinished {
            #expect(finishes == 1)
            #expect(driver.armed.isEmpty)
            if !preset.policy.quirks.losersRunUntilTheyEnd {
                #expect(driver.open.isEmpty)
            }
        }
        let bound = driver.connector.candidates.count * (preset.policy.retries + 1) * (preset.policy.redirectLimit + 1) + 1
        #expect(driver.timeline.attempts.count <= bound * (preset.policy.redirectLimit + 1))
    }

    @Test func sameEventsSameActions() throws {
        func run() throws -> [FallbackConnector.Action] {
            var driver = try VirtualDriver(.happyEyeballs, url: "rtmp://media.example.com/live")
            var actions = [driver.start()]
            actions += driver.advance(ms: 260)
            actions.append(driver.fail(2, .refused))
            actions += driver.advance(ms: 300)
            actions.append(driver.succeed(3))
            return actions
        }
        #expect(try run() == run())
    }

    @Test func aloneRunsOneCandidateWithoutPolicyTimers() {
        let candidate = Candidate(scheme: .rtmpt, host: "media.example.com", port: 80, path: "live")
        var connector = FallbackConnector(alone: candidate, following: Preset.flowplayer.policy)
        #expect(connector.candidates == [candidate])
        #expect(
            connector.start()
                == .proceed(FallbackConnector.Steps(startAttempts: [.init(id: AttemptID(1), candidate: candidate, candidateIndex: 0)])))
        #expect(connector.attemptFailed(AttemptID(1), .refused).failure == .exhausted(attempts: 1, lastFailure: .refused))
        var redirected = FallbackConnector(alone: candidate, following: Preset.flowplayer.policy)
        _ = redirected.start()
        // Redirects follow the base policy: Flowplayer's 100 ms.
        #expect(
            redirected.attemptRedirected(AttemptID(1), url: "rtmp://edge/live")
                == .proceed(FallbackConnector.Steps(scheduleTimers: [.init(.redirect(AttemptID(1)), after: .milliseconds(100))])))
    }

    @Test func overallTimeoutDropsAPendingRedirect() throws {
        var policy = Preset.flowplayer.policy
        policy.overallTimeout = .milliseconds(150)
        var driver = try VirtualDriver(policy, url: "rtmp://media.example.com/live")
        _ = driver.start()
        _ = driver.advance(ms: 100)
        _ = driver.redirect(1, to: "rtmp://edge/live")
        let end = driver.advance(ms: 50)
        #expect(end.map(\.failure) == [.overallTimeout(.milliseconds(150))])
        #expect(end.first?.steps?.cancelTimers == [.redirect(AttemptID(1)), .stagger(generation: 1)])
        #expect(driver.armed.isEmpty)
    }
}
