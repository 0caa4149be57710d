extension Duration {
    /// The duration in whole microseconds, rounded half away from zero and clamped to `Int64`.
    ///
    /// Reports print times with microsecond precision; integer microseconds keep the formatting exact
    /// (no binary floating point between the input and the text).
    var reportMicroseconds: Int64 {
        // `components` traps when the seconds do not fit an Int64 (a difference of two extreme
        // durations can exceed it), so clamp by comparison first: past ±2⁶³ µs the value is
        // reported as the limit.
        let limit = Duration.microseconds(Int64.max)
        if self >= limit { return .max }
        if self <= .zero - limit { return .min }
        let (seconds, attoseconds) = components
        let half: Int64 = 500_000_000_000
        let fraction = attoseconds >= 0
            ? (attoseconds + half) / 1_000_000_000_000
            : (attoseconds - half) / 1_000_000_000_000
        let (sum, overflow) = (seconds * 1_000_000).addingReportingOverflow(fraction)
        if overflow { return seconds < 0 ? .min : .max }
        return sum
    }

    /// Milliseconds with exactly three decimals (microsecond precision), as the CSV and JSON carry them.
    var millisecondsText: String {
        Self.fixedPoint(reportMicroseconds, decimals: 3)
    }

    /// Seconds with exactly three decimals, as JUnit's `time` attribute carries them: Jenkins'
    /// schema allows no more than three fractional digits.
    var secondsText: String {
        let micros = reportMicroseconds
        let remainder = micros % 1_000
        let millis = micros / 1_000 + (remainder >= 500 ? 1 : remainder <= -500 ? -1 : 0)
        return Self.fixedPoint(millis, decimals: 3)
    }

    /// A short reading for people: `850 ms`, `1.234 s`, `2 min 7.0 s`.
    var humanText: String {
        let micros = reportMicroseconds
        let sign = micros < 0 ? "−" : ""
        let magnitude = micros.magnitude
        if magnitude < 1_000 { return "\(sign)\(Self.fixedPoint(Int64(magnitude), decimals: 3)) ms" }
        if magnitude < 1_000_000 {
            return "\(sign)\(Self.rounded(magnitude, unit: 1_000, decimals: magnitude < 10_000 ? 1 : 0)) ms"
        }
        if magnitude < 120_000_000 { return "\(sign)\(Self.rounded(magnitude, unit: 1_000_000, decimals: 3)) s" }
        let minutes = magnitude / 60_000_000
        let rest = magnitude % 60_000_000
        return "\(sign)\(minutes) min \(Self.rounded(rest, unit: 1_000_000, decimals: 1)) s"
    }

    /// `value / 10^decimals` printed with exactly `decimals` digits after the point.
    static func fixedPoint(_ value: Int64, decimals: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let magnitude = value.magnitude
        let whole = magnitude / divisor
        let fraction = String(magnitude % divisor)
        let padded = String(repeating: "0", count: decimals - fraction.count) + fraction
        return (value < 0 ? "-" : "") + "\(whole)." + padded
    }

    /// `magnitude / unit` rounded half up to `decimals` digits.
    private static func rounded(_ magnitude: UInt64, unit: UInt64, decimals: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let step = unit / scale
        let steps = (magnitude + step / 2) / step
        if decimals == 0 { return String(steps) }
        let fraction = String(steps % scale)
        return "\(steps / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
