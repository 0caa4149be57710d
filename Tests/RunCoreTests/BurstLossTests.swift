import Testing
import RunCore

/// Gilbert–Elliott bursts: the long-run rate and the mean burst length the parameters imply.
@Suite struct BurstLossTests {
    /// p = 1 %, r = 25 %, everything lost in the bad state: 1/(1 + 25) ≈ 3.85 % of packets lost, in
    /// bursts of 4 on average (1/r). Over 200,000 packets both land within a few percent of that.
    @Test func rateAndBurstLengthAreTheModels() {
        let model = LinkConditions.GilbertElliott(p: 0.01, r: 0.25)
        var shaper = LinkShaper(conditions: LinkConditions(burstLoss: model), random: SimRandom(seed: 21))
        let lost = (0..<200_000).map { shaper.transmit(size: 100, at: Int64($0) * 1_000) == .lost }
        let rate = Double(lost.count { $0 }) / Double(lost.count)
        #expect(abs(rate - model.meanLoss) / model.meanLoss < 0.08, "rate \(rate)")
        var bursts: [Int] = []
        var run = 0
        for isLost in lost {
            if isLost { run += 1 } else if run > 0 { bursts.append(run); run = 0 }
        }
        let meanBurst = Double(bursts.reduce(0, +)) / Double(bursts.count)
        #expect(abs(meanBurst - 4) < 0.3, "mean burst \(meanBurst)")
    }

    /// At the same long-run rate, Bernoulli loss rarely loses two in a row; the bursty model mostly does.
    @Test func burstsAreLongerThanIndependentLoss() {
        func meanRun(_ conditions: LinkConditions) -> Double {
            var shaper = LinkShaper(conditions: conditions, random: SimRandom(seed: 2))
            var runs: [Int] = []
            var run = 0
            for index in 0..<100_000 {
                if shaper.transmit(size: 100, at: Int64(index) * 1_000) == .lost { run += 1 } else if run > 0 { runs.append(run); run = 0 }
            }
            return Double(runs.reduce(0, +)) / Double(runs.count)
        }
        let bursty = LinkConditions.GilbertElliott(p: 0.01, r: 0.25)
        #expect(meanRun(LinkConditions(loss: bursty.meanLoss)) < 1.1)
        #expect(meanRun(LinkConditions(burstLoss: bursty)) > 3.5)
    }
}
