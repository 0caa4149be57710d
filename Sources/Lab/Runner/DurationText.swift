/// Durations as people read them in messages ("21.04 s", "450 ms"), computed with integers so the
/// same duration always prints the same text.
enum DurationText {
    static func describe(_ duration: Duration) -> String {
        let microseconds = microseconds(of: duration)
        let sign = microseconds < 0 ? "-" : ""
        let magnitude = microseconds.magnitude
        if magnitude >= 1_000_000 {
            // Seconds with millisecond precision, trailing zeros dropped: 21 s, 21.5 s, 21.042 s.
            let milliseconds = (magnitude + 500) / 1_000
            return sign + decimal(milliseconds, places: 3) + " s"
        }
        let tenths = (magnitude + 50) / 100
        return sign + decimal(tenths, places: 1) + " ms"
    }

    /// Milliseconds with microsecond precision, the form of the CSV columns (`21042.125`).
    static func milliseconds(_ duration: Duration) -> String {
        let microseconds = microseconds(of: duration)
        let sign = microseconds < 0 ? "-" : ""
        let magnitude = microseconds.magnitude
        let whole = magnitude / 1_000
        let fraction = magnitude % 1_000
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    static func microseconds(of duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    /// `value / 10^places` with trailing zeros (and a bare point) dropped.
    static func decimal(_ value: UInt64, places: Int) -> String {
        var divisor: UInt64 = 1
        for _ in 0..<places { divisor *= 10 }
        let whole = value / divisor
        var fraction = String(value % divisor)
        fraction = String(repeating: "0", count: places - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }
}
