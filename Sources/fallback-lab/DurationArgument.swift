import ArgumentParser

/// A duration on the command line, written as in scenario files: `250ms`, `1.5s`, `2m`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        let units: [(suffix: String, nanoseconds: Int64)] = [("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000)]
        guard let unit = units.first(where: { argument.hasSuffix($0.suffix) }) else { return nil }
        let number = argument.dropLast(unit.suffix.count)
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count <= 9, parts.count == 1 || parts[1].count <= 9,
            let whole = Int64(parts[0])
        else { return nil }
        var nanoseconds = whole * unit.nanoseconds
        if parts.count == 2, let fraction = Int64(parts[1]) {
            var scale: Int64 = 1
            for _ in 0..<parts[1].count { scale *= 10 }
            nanoseconds += fraction * unit.nanoseconds / scale
        }
        duration = .nanoseconds(nanoseconds)
    }

    var description: String { "\(duration)" }

    static var defaultCompletionKind: CompletionKind { .default }
}
