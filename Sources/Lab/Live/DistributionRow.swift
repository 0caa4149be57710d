import Foundation

/// One lossy or jittery scenario × policy in `calibrate --network netns`: its time to connect (or
/// fail) over N simulated runs and N live runs across the per-packet link, compared as distributions.
///
/// Run by run the two networks cannot agree there — they draw their losses for different packets —
/// so the row compares medians (within 15 %, the bound), the 90th percentiles, outcomes, and
/// the whole distributions with a two-sample Kolmogorov–Smirnov test at the 5 % level.
package struct DistributionRow: Sendable {
    /// What the comparison found.
    package enum Verdict: String, Sendable, Hashable {
        /// Medians within 15 %, the same share connected, and the test cannot tell the samples apart.
        case agree
        /// Medians within 15 % and the same share connected, but the test tells the distributions
        /// apart (a steady shift, or the tails): `note` says which model assumption differs.
        case distributionsDiffer = "distributions differ"
        /// The medians or the share connected differ.
        case disagree
    }

    package var scenario: String
    package var policy: String
    /// Times to connect or fail, sorted, in milliseconds.
    package var simulated: [Double]
    /// The live runs' times, or why the live side produced none.
    package var live: Result<[Double], RunRecord.RunError>
    /// Runs that connected, on each side.
    package var simulatedConnected: Int
    package var liveConnected: Int
    /// The scenario's client OS, whose SYN and retransmission schedule the simulator follows (the live
    /// kernel follows its own: Linux's).
    package var clientOS: String
    /// Whether the scenario loses packets (else only jitter makes runs differ).
    package var lossy: Bool
    /// The machine's time for one handshake and connect on loopback, measured before the row's live
    /// runs (the simulator models no CPU time).
    package var processingBaseline: Duration = .zero

    /// The bound on the medians' relative difference.
    package static let medianTolerance = 0.15
    /// The test's significance level.
    package static let significance = 0.05

    package var simulatedMedian: Double { Self.quantile(simulated, 0.5) }
    package var simulatedP90: Double { Self.quantile(simulated, 0.9) }
    package var liveTimes: [Double] { (try? live.get()) ?? [] }
    package var liveMedian: Double? { liveTimes.isEmpty ? nil : Self.quantile(liveTimes, 0.5) }
    package var liveP90: Double? { liveTimes.isEmpty ? nil : Self.quantile(liveTimes, 0.9) }

    /// Live median over simulated median, minus one.
    package var medianDifference: Double? {
        guard let liveMedian, simulatedMedian > 0 else { return nil }
        return liveMedian / simulatedMedian - 1
    }

    var test: KolmogorovSmirnov? {
        liveTimes.isEmpty || simulated.isEmpty ? nil : KolmogorovSmirnov(simulated, liveTimes)
    }
    package var ksStatistic: Double? { test?.statistic }
    package var ksPValue: Double? { test?.pValue }

    package var verdict: Verdict {
        guard let difference = medianDifference, let test else { return .disagree }
        // Outcomes: the share connected may differ by at most one run in ten.
        let runs = max(1, simulated.count)
        guard abs(simulatedConnected - liveConnected) * 10 <= runs else { return .disagree }
        guard abs(difference) <= Self.medianTolerance else { return .disagree }
        return test.pValue >= Self.significance ? .agree : .distributionsDiffer
    }

    package var agrees: Bool { verdict == .agree }

    /// Where the two models differ, when they do: what a reader should know before trusting either.
    package var note: String? {
        if case .failure(let error) = live { return error.description }
        guard verdict != .agree else { return nil }
        var reasons: [String] = []
        if let liveMedian {
            let shift = liveMedian - simulatedMedian
            reasons.append(String(format: "live median %@ by %.1f ms", shift >= 0 ? "later" : "earlier", abs(shift)))
        }
        if !lossy {
            reasons.append(
                "nothing is lost, so the runs differ by jitter and by the machine's CPU time, which the simulator does "
                    + "not model (\(DurationText.describe(processingBaseline)) per handshake and connect on loopback)")
        } else if clientOS != "linux" && clientOS != "linux-legacy" {
            reasons.append(
                "the simulator retransmits a lost SYN and data on \(clientOS)'s schedule, the live kernel on Linux's "
                    + "(SYN after 1 s; minimum RTO 200 ms): compare with client.os: linux (kernels from 6.5) or linux-legacy")
        } else {
            reasons.append(
                "the simulator's TCP models no congestion window, delayed ACKs, SACK or fast retransmit (a lost segment waits "
                    + "for its RTO); the live kernel has all of them")
        }
        if simulatedConnected != liveConnected {
            reasons.append("\(simulatedConnected) simulated and \(liveConnected) live runs connected")
        }
        return reasons.joined(separator: "; ")
    }

    /// The `q` quantile of sorted `values` (nearest rank), as the run reports take percentiles.
    static func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((q * Double(values.count)).rounded(.up))
        return values[min(values.count, max(1, rank)) - 1]
    }
}
