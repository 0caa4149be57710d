import Histogram

/// Order statistics over repeated runs, gathered one value at a time: percentiles and a histogram
/// of times to connect, in memory that does not grow with the number of runs (issue 13).
///
/// While a statistic has seen at most `exactLimit` distinct values (4,096) every figure is exact: each
/// distinct value is kept with how often it came. Simulated runs repeat their times exactly unless
/// the scenario has jitter or loss (a herd's clients differ from each other, not from one repetition
/// to the next), so most statistics stay exact and small at any `--repeat`: that is what keeps a
/// run's memory flat in the repeat count (issue 13). Beyond it the values go into an HdrHistogram
/// with three significant digits (hdrhistogram-swift, the field's structure for latency
/// percentiles): a figure is then the highest value equivalent to the one at that rank, within 0.1 %
/// of it, clamped to the exact minimum and maximum, which are always kept.
package struct Statistics: Sendable {
    /// How many distinct values are kept exactly: a jittery scenario's times are all different, and
    /// past this many its statistics take the histogram's bounded size instead (about 120 KB).
    /// Enough that every figure of the shipped suite at `--repeat 1000` is exact.
    static let exactLimit = 4_096

    /// Values are kept within ±2⁶⁰ µs (36 000 years) so that differences and bin arithmetic cannot
    /// overflow, whatever durations a caller passes.
    static let limit: Int64 = 1 << 60

    /// How many values were added.
    package private(set) var count = 0
    /// Every distinct value, in microseconds, and how many times it came, while there are at most
    /// `exactLimit` of them.
    private var exact: [Int64: Int] = [:]
    /// Beyond `exactLimit`: the values at or above zero, and the magnitudes of those below it (a
    /// regret is negative when a policy beat the oracle; an HdrHistogram holds non-negative values).
    /// The second is made only when a value below zero comes: most figures never have one, and an
    /// empty histogram's counts still take 16 KB and grow with the largest value (issue 13).
    private var positive: Histogram<UInt64>?
    private var negative: Histogram<UInt64>?
    private var lowest = Int64.max
    private var highest = Int64.min

    package init() {}

    init(_ values: [Duration]) {
        for value in values { add(value) }
    }

    package mutating func add(_ duration: Duration) {
        let value = min(max(duration.reportMicroseconds, -Self.limit), Self.limit)
        count += 1
        lowest = min(lowest, value)
        highest = max(highest, value)
        if positive == nil {
            exact[value, default: 0] += 1
            guard exact.count > Self.exactLimit else { return }
            positive = Histogram(numberOfSignificantValueDigits: .three)
            for (kept, times) in exact { record(kept, times: times) }
            exact = [:]
            return
        }
        record(value, times: 1)
    }

    private mutating func record(_ value: Int64, times: Int) {
        if value >= 0 {
            _ = positive?.record(UInt64(value), count: UInt64(times))
        } else {
            if negative == nil { negative = Histogram(numberOfSignificantValueDigits: .three) }
            _ = negative?.record(UInt64(-value), count: UInt64(times))
        }
    }

    /// The nearest-rank percentile (the smallest value with at least `p`% of the sample at or
    /// below it). Nearest rank returns an observed value, never an interpolation, so a p99 of 20
    /// runs is honestly the slowest run rather than an invented figure.
    package func percentile(_ p: Int) -> Duration? {
        guard count > 0 else { return nil }
        let rank = min(max(1, (p * count + 99) / 100), count)
        return .microseconds(value(atRank: rank))
    }

    /// The `rank`-th smallest value (1-based).
    private func value(atRank rank: Int) -> Int64 {
        guard let positive else {
            var seen = 0
            for (value, times) in exact.sorted(by: { $0.key < $1.key }) {
                seen += times
                if seen >= rank { return value }
            }
            return highest
        }
        // The extremes are kept exactly.
        if rank == 1 { return lowest }
        if rank == count { return highest }
        let below = Int(negative?.totalCount ?? 0)
        let value: Int64
        if let negative, rank <= below {
            // The rank-th smallest value is the (below − rank + 1)-th smallest magnitude below zero;
            // the highest value equivalent to it is minus the lowest equivalent magnitude.
            value = -Int64(Self.magnitude(atRank: below - rank + 1, in: negative, lowestEquivalent: true))
        } else {
            value = Int64(Self.magnitude(atRank: rank - below, in: positive, lowestEquivalent: false))
        }
        return min(max(value, lowest), highest)
    }

    /// The `rank`-th smallest value an HdrHistogram holds, as the highest value equivalent to it
    /// (as `valueAtPercentile` reports it), or the lowest (for magnitudes below zero).
    private static func magnitude(atRank rank: Int, in histogram: Histogram<UInt64>, lowestEquivalent: Bool) -> UInt64 {
        var seen = 0
        for bucket in histogram.recordedValues() {
            seen += Int(bucket.count)
            if seen >= rank {
                return lowestEquivalent ? histogram.lowestEquivalentForValue(bucket.value) : histogram.highestEquivalentForValue(bucket.value)
            }
        }
        return histogram.maxRecorded
    }

    /// Equal-width bins from the minimum to the maximum; each bin is `[lower, upper)` except the
    /// last, which also holds the maximum. Beyond `exactLimit` a value counts in the bin of the
    /// middle of its HdrHistogram bucket.
    func histogram(bins requested: Int) -> [Bin] {
        guard count > 0, requested > 0 else { return [] }
        let low = lowest
        let high = highest
        let width = max(1, (high - low + Int64(requested) - 1) / Int64(requested))
        let binCount = high == low ? 1 : Int((high - low) / width) + 1
        var bins = (0..<min(binCount, requested + 1)).map {
            Bin(lower: low + Int64($0) * width, upper: low + Int64($0 + 1) * width, count: 0)
        }
        func add(_ value: Int64, times: Int) {
            let clamped = min(max(value, low), high)
            let index = min(Int((clamped - low) / width), bins.count - 1)
            bins[index].count += times
        }
        if let positive {
            if let negative {
                for bucket in negative.recordedValues() {
                    add(-Int64(negative.medianEquivalentForValue(bucket.value)), times: Int(bucket.count))
                }
            }
            for bucket in positive.recordedValues() {
                add(Int64(positive.medianEquivalentForValue(bucket.value)), times: Int(bucket.count))
            }
        } else {
            for (value, times) in exact { add(value, times: times) }
        }
        return bins
    }

    /// One histogram bin in microseconds.
    struct Bin: Equatable {
        var lower: Int64
        var upper: Int64
        var count: Int
    }
}
