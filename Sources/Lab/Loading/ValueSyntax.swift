/// The scalar forms of the file format: durations, rates and ratios, parsed exactly (no floating point
/// for durations, so `1.1s` is 1.1 s and not 1.0999… s).
package enum ValueSyntax {
    /// What a diagnostic shows as the accepted duration forms.
    package static let durationForms = "write a number and a unit, like 250ms, 1.5s or 2m (units: us, ms, s, m, h)"
    static let rateForms = "write a number and a unit, like 500kbit or 10mbit (units: bit, kbit, mbit, gbit)"
    static let ratioForms = "write a percentage, like 0.5% or 2%"

    /// `250ms`, `1.5s`, `2m`, `0`; `nil` for anything else, including negative values.
    package static func duration(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        if trimmed == "0" { return .zero }
        let units: [(suffix: String, nanoseconds: Int64)] = [
            ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        // Longest suffix first: "ms" must not be read as "m" + "s".
        for unit in units.sorted(by: { $0.suffix.count > $1.suffix.count }) where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingWhitespace()
            guard let nanoseconds = scaledDecimal(number, by: unit.nanoseconds) else { return nil }
            return .nanoseconds(nanoseconds)
        }
        return nil
    }

    /// The longest duration a file can name, in whole hours: `Duration` counts in 64-bit
    /// nanoseconds here (about 292 years), so anything longer cannot be represented.
    package static let longestDurationHours = Int64.max / 3_600_000_000_000

    /// Whether `text` is written like a duration (digits and a unit) but is too long to represent,
    /// so the diagnostic can say "too long" instead of "not a duration".
    package static func durationOverflows(_ text: String) -> Bool {
        let trimmed = text.trimmingWhitespace()
        guard duration(trimmed) == nil else { return false }
        // Two-letter units first: "ms" must not be read as "m" + "s".
        let units: [(suffix: String, nanoseconds: Int64)] = [
            ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingWhitespace()
            guard isPlainDecimal(number) else { return false }
            // A well-formed number whose whole part alone cannot be scaled to nanoseconds.
            let whole = String(number.split(separator: ".", omittingEmptySubsequences: false)[0])
            return scaledDecimal(whole, by: unit.nanoseconds) == nil
        }
        return false
    }

    /// One or more ASCII digits and nothing else.
    package static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// `500kbit`, `10mbit`, in bits per second; `nil` for anything else or zero.
    static func rate(_ text: String) -> UInt64? {
        let trimmed = text.trimmingWhitespace().lowercased()
        let units: [(suffix: String, bits: Int64)] = [
            ("gbit", 1_000_000_000), ("mbit", 1_000_000), ("kbit", 1_000), ("bit", 1),
        ]
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = String(trimmed.dropLast(unit.suffix.count)).trimmingWhitespace()
            guard let bits = scaledDecimal(number, by: unit.bits), bits > 0 else { return nil }
            return UInt64(bits)
        }
        return nil
    }

    /// `0.5%` as 0.005; `nil` for anything else. Range checks are the caller's.
    static func ratio(_ text: String) -> Double? {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.hasSuffix("%") else { return trimmed == "0" ? 0 : nil }
        let number = String(trimmed.dropLast()).trimmingWhitespace()
        guard isPlainDecimal(number), let value = Double(number) else { return nil }
        return value / 100
    }

    /// `digits[.digits]` times `scale`, exactly; `nil` on another form, a negative sign, a fraction finer
    /// than the scale, or overflow.
    static func scaledDecimal(_ text: String, by scale: Int64) -> Int64? {
        guard isPlainDecimal(text) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var result: Int64 = 0
        for digit in whole {
            guard let value = digit.wholeNumberValue else { return nil }
            let (times, overflowA) = result.multipliedReportingOverflow(by: 10)
            let (plus, overflowB) = times.addingReportingOverflow(Int64(value))
            guard !overflowA, !overflowB else { return nil }
            result = plus
        }
        let (scaled, overflow) = result.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        var place = scale
        var fractional: Int64 = 0
        for digit in fraction {
            guard let value = digit.wholeNumberValue else { return nil }
            guard place % 10 == 0 else {
                // Finer than the unit allows (e.g. 1.5bit): only zeros may follow.
                if value != 0 { return nil }
                continue
            }
            place /= 10
            fractional += Int64(value) * place
        }
        let (total, overflowC) = scaled.addingReportingOverflow(fractional)
        return overflowC ? nil : total
    }

    /// One or more ASCII digits, optionally a dot and more digits; nothing else.
    static func isPlainDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        guard !parts[0].isEmpty else { return false }
        if parts.count == 2, parts[1].isEmpty { return false }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
