import Testing

@testable import Lab

/// The arithmetic of `calibrate`'s distribution rows: the two-sample Kolmogorov–Smirnov test and the
/// verdict built on it. The reference figures are SciPy's (`scipy.stats.ks_2samp`, 1.17) for the
/// statistic and Numerical Recipes' asymptotic formula, evaluated independently in Python, for the
/// p-value (SciPy's `method='asymp'` omits Stephens' correction: 0.309 and 0.532 here).
struct DistributionCalibrationTests {
    @Test func kolmogorovSmirnovMatchesReferenceFigures() {
        let shifted = KolmogorovSmirnov((1...10).map(Double.init), (1...10).map { Double($0) + 3.5 })
        #expect(abs(shifted.statistic - 0.4) < 1e-12)
        #expect(abs(shifted.pValue - 0.31285) < 1e-4)

        let a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77,
                 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47]
        let b = [2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7,
                 0.52, -0.72]
        let mixed = KolmogorovSmirnov(a, b)
        #expect(abs(mixed.statistic - 0.23) < 1e-12)
        #expect(abs(mixed.pValue - 0.54112) < 1e-4)
    }

    @Test func identicalSamplesAgreeAndDisjointOnesDoNot() {
        let same = KolmogorovSmirnov([1, 2, 2, 3], [1, 2, 2, 3])
        #expect(same.statistic == 0)
        #expect(same.pValue == 1)
        let apart = KolmogorovSmirnov((1...20).map(Double.init), (101...120).map(Double.init))
        #expect(apart.statistic == 1)
        #expect(apart.pValue < 1e-6)
    }

    static func row(simulated: [Double], live: [Double], connected: (Int, Int)? = nil, os: String = "windows", lossy: Bool = true) -> DistributionRow {
        DistributionRow(
            scenario: "s", policy: "p", simulated: simulated.sorted(), live: .success(live.sorted()),
            simulatedConnected: connected?.0 ?? simulated.count, liveConnected: connected?.1 ?? live.count,
            clientOS: os, lossy: lossy)
    }

    @Test func theVerdictWeighsMediansOutcomesAndTheTest() {
        let base = (1...20).map { 800 + Double($0) * 5 }
        #expect(Self.row(simulated: base, live: base.map { $0 + 1 }).verdict == .agree)
        #expect(Self.row(simulated: base, live: base.map { $0 + 1 }).note == nil)
        // A steady 60 ms shift: medians within 15 %, but the test sees it.
        let shifted = Self.row(simulated: base, live: base.map { $0 + 60 }, lossy: false)
        #expect(shifted.verdict == .distributionsDiffer)
        #expect(shifted.note?.contains("live median later by 60.0 ms") == true)
        #expect(shifted.note?.contains("CPU time") == true)
        // Medians 25 % apart.
        #expect(Self.row(simulated: base, live: base.map { $0 * 1.25 }).verdict == .disagree)
        // Three of twenty fewer connected.
        #expect(Self.row(simulated: base, live: base, connected: (20, 17)).verdict == .disagree)
        // A lossy Windows scenario whose tails differ points at the SYN schedule.
        let tails = Self.row(
            simulated: base + (1...15).map { 3800 + Double($0) * 10 }, live: base + (1...15).map { 1800 + Double($0) * 10 })
        #expect(tails.verdict == .distributionsDiffer)
        #expect(tails.note?.contains("windows's schedule") == true)
    }
}
