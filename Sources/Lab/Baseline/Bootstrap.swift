import NetSim
import RunCore

/// The percentile bootstrap `compare` decides with: resample each side with replacement, take the
/// statistic's difference (current − baseline), and read the 2.5 % and 97.5 % points of those
/// differences. It assumes nothing about the shape of the distributions (times to connect are
/// bimodal: a candidate wins or waits out a timeout), and a statistic like p95 has no simpler test.
///
/// Seeded (the simulator's generator, from the sample sizes), so the same reports always give the
/// same interval and the same verdict.
enum Bootstrap {
    static let resamples = 2_000

    /// The 95 % interval of `statistic(current) − statistic(baseline)`.
    static func interval(
        baseline: [Double], current: [Double], statistic: ([Double]) -> Double
    ) -> ClosedRange<Double> {
        var random = SimRandom(seed: UInt64(baseline.count) << 32 ^ UInt64(current.count))
        func resample(_ values: [Double]) -> [Double] {
            values.indices.map { _ in values[Int(random.next() % UInt64(values.count))] }
        }
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        for _ in 0..<resamples {
            differences.append(statistic(resample(current)) - statistic(resample(baseline)))
        }
        differences.sort()
        let low = differences[Int(Double(resamples) * 0.025)]
        let high = differences[Int(Double(resamples) * 0.975) - 1]
        return low...high
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The nearest-rank 95th percentile.
    static func p95(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let rank = Int((0.95 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, rank - 1)]
    }

    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }
}
