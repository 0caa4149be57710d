import Foundation
import NetSim
import RunCore
import Testing

@testable import Lab

/// `network.loss-model`: independent losses (the default) or Gilbert–Elliott bursts, read with
/// positions for every mistake, and given to the simulated links.
@Suite struct LossModelTests {
    static func text(_ network: String) -> String {
        """
        name: bursty
        description: a link that loses packets in bursts
        client:
          url: rtmp://media.example.com/live
        network:
        \(network)
        policies: [flowplayer]
        """
    }

    static func diagnostics(_ network: String) -> [String] {
        do {
            _ = try ScenarioLoader.parse(Array(text(network).utf8), file: "bursty.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func independentLossIsTheDefaultAndCanBeNamed() throws {
        let unnamed = try ScenarioLoader.parse(Array(Self.text("  loss: 2%").utf8), file: "bursty.yaml")
        let named = try ScenarioLoader.parse(Array(Self.text("  loss: 2%\n  loss-model: bernoulli").utf8), file: "bursty.yaml")
        #expect(unnamed.network.lossModel == .bernoulli)
        #expect(named.network == unnamed.network)
        #expect(named.warnings.isEmpty)
        #expect(named.simulated.uplink.burstLoss == nil)
    }

    @Test func gilbertElliottIsReadGivenToBothLinksAndDescribed() throws {
        let scenario = try ScenarioLoader.parse(
            Array(Self.text("  loss-model: {gilbert-elliott: {p: 1%, r: 25%}}").utf8), file: "bursty.yaml")
        #expect(scenario.network.lossModel == .gilbertElliott(LinkConditions.GilbertElliott(p: 0.01, r: 0.25, lossBad: 1, lossGood: 0)))
        let model = LinkConditions.GilbertElliott(p: 0.01, r: 0.25)
        #expect(scenario.simulated.uplink.burstLoss == model)
        #expect(scenario.simulated.downlink.burstLoss == model)
        #expect(scenario.network.summary == "20 ms one way, loss 3.846% in bursts of 4 packets (Gilbert–Elliott)")
        #expect(scenario.liveLimitations(on: .loopback).contains("packet loss is not applied on loopback (no netem; --network netns applies it)"))
        #expect(scenario.liveLimitations(on: .netns).isEmpty)

        let full = try ScenarioLoader.parse(
            Array(Self.text("  loss-model:\n    gilbert-elliott: {p: 2%, r: 40%, loss-bad: 80%, loss-good: 0.1%}").utf8),
            file: "bursty.yaml")
        #expect(full.network.lossModel == .gilbertElliott(LinkConditions.GilbertElliott(p: 0.02, r: 0.4, lossBad: 0.8, lossGood: 0.001)))
    }

    @Test func lossBesideAModelIsAWarningNotAnError() throws {
        let scenario = try ScenarioLoader.parse(
            Array(Self.text("  loss: 5%\n  loss-model: {gilbert-elliott: {p: 1%, r: 25%}}").utf8), file: "bursty.yaml")
        #expect(scenario.warnings.map(\.description) == [
            "bursty.yaml:6:9: network.loss is not used: loss-model gilbert-elliott decides which packets are lost "
                + "(3.846% in the long run); remove loss:, or use loss-model: bernoulli",
        ])
    }

    @Test func mistakesAreNamedWhereTheyAre() {
        #expect(Self.diagnostics("  loss-model: gilbert-elliott") == [
            "bursty.yaml:6:15: loss-model gilbert-elliott needs its p and r; write it as loss-model: {gilbert-elliott: {p: 1%, r: 25%}}",
        ])
        let missing = Self.diagnostics("  loss-model: {gilbert-elliott: {p: 1%}}")
        #expect(missing.count == 1 && missing[0].hasPrefix("bursty.yaml:6:33: loss-model gilbert-elliott has no r"))
        let outOfRange = Self.diagnostics("  loss-model: {gilbert-elliott: {p: 150%, r: 25%}}")
        #expect(outOfRange.count == 1 && outOfRange[0].hasPrefix("bursty.yaml:6:37: gilbert-elliott p '150%' is not a probability"))
        let unknown = Self.diagnostics("  loss-model: markov")
        #expect(unknown.count == 1 && unknown[0].hasPrefix("bursty.yaml:6:15:"))
        let misspelt = Self.diagnostics("  loss-model: {gilbert-eliot: {p: 1%, r: 25%}}")
        #expect(misspelt.count == 1 && misspelt[0].contains("unknown key 'gilbert-eliot'"))
    }
}
