/// How much worse a figure may get before `compare` calls it a regression: `--max-regression 10%,50ms`.
/// A time must grow by more than both (more than 10 % *and* more than 50 ms: a fast connect's jitter
/// is not a regression, nor is a slow one's small drift); a rate (failures) by more than the
/// percentage in points; a count (server connections, peak) by more than the percentage.
package struct RegressionThresholds: Sendable, Equatable, CustomStringConvertible {
    /// 0.10 for 10 %.
    package var relative: Double
    package var absolute: Duration

    package static let `default` = RegressionThresholds(relative: 0.10, absolute: .milliseconds(50))

    package init(relative: Double, absolute: Duration) {
        self.relative = relative
        self.absolute = absolute
    }

    /// Parses `10%,50ms`, `5%`, `200ms`: a percentage and a duration in either order; the part not
    /// given keeps its default.
    package init(parsing text: String) throws(ThresholdError) {
        self = .default
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        guard !parts.isEmpty, parts.count <= 2 else { throw ThresholdError(text: text) }
        var sawPercent = false
        var sawDuration = false
        for part in parts {
            if part.hasSuffix("%"), !sawPercent, let value = Double(part.dropLast()), value.isFinite, value >= 0 {
                relative = value / 100
                sawPercent = true
            } else if !sawDuration, let duration = ValueSyntax.duration(part), duration >= .zero {
                absolute = duration
                sawDuration = true
            } else {
                throw ThresholdError(text: text)
            }
        }
    }

    /// How much `baseline` milliseconds may grow: the larger of the two thresholds.
    func allowedIncrease(over baseline: Double) -> Double {
        max(relative * baseline, Double(DurationText.microseconds(of: absolute)) / 1000)
    }

    /// `10%`, `12.5%`.
    static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded()
        return DurationText.decimal(UInt64(max(0, tenths)), places: 1) + "%"
    }

    package var description: String {
        "\(Self.percent(relative)), \(DurationText.describe(absolute))"
    }
}

/// `--max-regression` that is not `P%`, `Dms` or both.
package struct ThresholdError: Error, Sendable, CustomStringConvertible {
    package var text: String
    /// `10%`, `12.5%`.
    static func percent(_ fraction: Double) -> String {
        let tenths = (fraction * 1000).rounded()
        return DurationText.decimal(UInt64(max(0, tenths)), places: 1) + "%"
    }

    package var description: String {
        "--max-regression '\(text)': expected a percentage and/or a duration, like 10%,50ms"
    }
}
