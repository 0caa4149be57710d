/// Order statistics over repeated runs: percentiles and a histogram of times to connect.
struct Statistics {
    /// The sorted sample, in microseconds.
    let sorted: [Int64]

    /// Values are kept within ±2⁶⁰ µs (36 000 years) so that differences and bin arithmetic cannot
    /// overflow, whatever durations a caller passes.
    static let limit: Int64 = 1 << 60

    init(_ values: [Duration]) {
        sorted = values.map { min(max($0.reportMicroseconds, -Self.limit), Self.limit) }.sorted()
    }

    /// The nearest-rank percentile (the smallest value with at least `p`% of the sample at or
    /// below it). Nearest rank returns an observed value, never an interpolation, so a p99 of 20
    /// runs is honestly the slowest run rather than an invented figure.
    func percentile(_ p: Int) -> Duration? {
        guard !sorted.isEmpty else { return nil }
        let rank = max(1, (p * sorted.count + 99) / 100)
        return .microseconds(sorted[min(rank, sorted.count) - 1])
    }

    /// Equal-width bins from the minimum to the maximum; each bin is `[lower, upper)` except the
    /// last, which also holds the maximum.
    func histogram(bins requested: Int) -> [Bin] {
        guard let low = sorted.first, let high = sorted.last, requested > 0 else { return [] }
        let width = max(1, (high - low + Int64(requested) - 1) / Int64(requested))
        let count = high == low ? 1 : Int((high - low) / width) + 1
        var bins = (0..<min(count, requested + 1)).map {
            Bin(lower: low + Int64($0) * width, upper: low + Int64($0 + 1) * width, count: 0)
        }
        for value in sorted {
            let index = min(Int((value - low) / width), bins.count - 1)
            bins[index].count += 1
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
