import Testing
@testable import RunCore

/// The firewall rule's verdict over time: first match wins, windows are `[from, until)`, no match
/// allows (the same on the simulated and both live networks, which all judge through this).
@Suite struct FirewallRuleTests {
    @Test func theFirstMatchingRuleDecides() {
        let rules = [
            FirewallRule(port: 1935, action: .drop),
            FirewallRule(ports: [1935, 443], action: .reject),
            FirewallRule(ports: [], action: .blackhole),
        ]
        #expect(rules.verdict(port: 1935, at: .zero)?.index == 0)
        #expect(rules.verdict(port: 443, at: .zero)?.action == .reject)
        #expect(rules.verdict(port: 80, at: .zero)?.index == 2)
        #expect(Array(rules.prefix(2)).verdict(port: 80, at: .zero) == nil)
    }

    @Test func aWindowHoldsFromItsStartUntilJustBeforeItsEnd() {
        let rule = FirewallRule(port: 80, action: .drop, from: .seconds(10), until: .seconds(40))
        #expect(!rule.matches(port: 80, at: .milliseconds(9_999)))
        #expect(rule.matches(port: 80, at: .seconds(10)))
        #expect(rule.matches(port: 80, at: .milliseconds(39_999)))
        #expect(!rule.matches(port: 80, at: .seconds(40)))
        #expect(!rule.matches(port: 81, at: .seconds(20)))
        // A later rule decides where an earlier one's window is closed.
        let rules = [rule, FirewallRule(port: 80, action: .reject)]
        #expect(rules.verdict(port: 80, at: .seconds(5))?.action == .reject)
        #expect(rules.verdict(port: 80, at: .seconds(20))?.action == .drop)
    }
}

/// Seeds are derived, never drawn: the same inputs give the same seed, any changed input another.
@Suite struct RunSeedsTests {
    @Test func seedsAreDerivedFromTheirInputs() {
        let a = RunSeeds.run(scenarioSeed: 1, policy: "flowplayer", repetition: 1)
        #expect(a == RunSeeds.run(scenarioSeed: 1, policy: "flowplayer", repetition: 1))
        #expect(a != RunSeeds.run(scenarioSeed: 1, policy: "flowplayer", repetition: 2))
        #expect(a != RunSeeds.run(scenarioSeed: 2, policy: "flowplayer", repetition: 1))
        #expect(a != RunSeeds.run(scenarioSeed: 1, policy: "akamai", repetition: 1))
        #expect(a != RunSeeds.run(scenarioSeed: 1, policy: "flowplayer", repetition: 1, client: 1))
        #expect(RunSeeds.server(a) == RunSeeds.mix(a, RunSeeds.Salt.server))
        #expect(RunSeeds.server(a) != a)
    }

    /// Pinned values: a change to the derivation changes every report, so it must be deliberate.
    @Test func theDerivationIsPinned() {
        #expect(RunSeeds.fnv1a("") == 0xCBF2_9CE4_8422_2325)
        #expect(RunSeeds.fnv1a("a") == 0xAF63_DC4C_8601_EC8C)
        // SplitMix64's first output for seed 0 (Vigna's reference implementation).
        #expect(RunSeeds.mix(0, 1) == 0xE220_A839_7B1D_CDAF)
    }
}
