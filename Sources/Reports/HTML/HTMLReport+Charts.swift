extension HTMLReport {
    /// An SVG coordinate with one decimal, formatted without floating-point printing so the page's
    /// bytes do not depend on how a platform prints doubles.
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int64((min(max(value, -1e12), 1e12) * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : Duration.fixedPoint(tenths, decimals: 1)
    }

    /// Axis ticks for `0...maximum` microseconds: steps of 1, 2 or 5 × 10ⁿ, at most eight of them.
    static func ticks(upTo maximum: Int64) -> [Int64] {
        guard maximum > 0 else { return [0] }
        var base: Int64 = 1
        for _ in 0..<19 {
            for multiplier: Int64 in [1, 2, 5] where maximum / (base * multiplier) <= 8 {
                return stride(from: Int64(0), through: maximum, by: Int(base * multiplier)).map { $0 }
            }
            base *= 10
        }
        return [0, maximum]
    }

    /// A horizontal bar per policy: its typical time to connect (or to fail, in grey), against the
    /// scenario's oracle drawn as a dashed line.
    func barChart(_ summaries: [PolicySummary], oracle: Duration?) -> String {
        let labelWidth = 170.0
        let plotWidth = 640.0
        let rowHeight = 26.0
        let top = 8.0
        let axis = 22.0
        let times = summaries.map { $0.typicalTimeToConnect ?? $0.typicalTimeToFail ?? .zero }
        let longest = max(1, (times + [oracle ?? .zero]).map(\.reportMicroseconds).max() ?? 1)
        let scale = plotWidth / Double(longest) * 0.92
        let height = top + Double(summaries.count) * rowHeight + axis
        let width = labelWidth + plotWidth + 120
        var svg = "<svg class=\"bars\" role=\"img\" viewBox=\"0 0 \(Self.coordinate(width)) \(Self.coordinate(height))\""
            + " width=\"\(Self.coordinate(width))\" height=\"\(Self.coordinate(height))\">"
            + "<title>Time to connect per policy</title>\n"
        for (row, summary) in summaries.enumerated() {
            let y = top + Double(row) * rowHeight
            let time = times[row]
            let barWidth = max(1.5, Double(time.reportMicroseconds) * scale)
            let connected = summary.typicalTimeToConnect != nil
            let label = connected ? time.humanText : "failed after \(time.humanText)"
            let cls = connected ? Self.speedClass(time) : "t-fail"
            svg += "<text class=\"label\" x=\"\(Self.coordinate(labelWidth - 8))\" y=\"\(Self.coordinate(y + 17))\" text-anchor=\"end\">"
                + "\(Markup.escape(summary.policy))</text>"
            svg += "<rect class=\"bar \(cls)\" x=\"\(Self.coordinate(labelWidth))\" y=\"\(Self.coordinate(y + 4))\" width=\""
                + "\(Self.coordinate(barWidth))\" height=\"\(Self.coordinate(rowHeight - 8))\">"
                + "<title>\(Markup.escape(summary.policy)): \(Markup.escape(label))</title></rect>"
            svg += "<text class=\"value\" x=\"\(Self.coordinate(labelWidth + barWidth + 6))\" y=\"\(Self.coordinate(y + 17))\">"
                + "\(Markup.escape(label))\(summary.commonWinner.map { " · " + Markup.escape($0) } ?? "")</text>\n"
        }
        if let oracle {
            let x = labelWidth + Double(oracle.reportMicroseconds) * scale
            let bottom = top + Double(summaries.count) * rowHeight
            svg += "<line class=\"oracle\" x1=\"\(Self.coordinate(x))\" y1=\"\(Self.coordinate(top))\" x2=\"\(Self.coordinate(x))\""
                + " y2=\"\(Self.coordinate(bottom))\"><title>oracle: \(Markup.escape(oracle.humanText))</title></line>"
            svg += "<text class=\"oracle-label\" x=\"\(Self.coordinate(x + 3))\" y=\"\(Self.coordinate(bottom + 16))\">"
                + "oracle \(Markup.escape(oracle.humanText))</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    /// p50/p95/p99 per policy and a histogram of its times to connect, for repeated scenarios.
    func distributions(_ summaries: [PolicySummary]) -> String {
        var out = "<h3>Distributions</h3>\n<table class=\"dist\"><thead><tr><th>Policy</th><th>Runs</th><th>Connected</th>"
            + "<th>p50</th><th>p95</th><th>p99</th><th>Histogram of time to connect</th></tr></thead><tbody>\n"
        for summary in summaries {
            let stats = summary.connectStatistics
            out += "<tr><th>\(Markup.escape(summary.policy))</th><td>\(summary.runCount)</td><td>\(summary.connectedCount)</td>"
            for p in [50, 95, 99] {
                out += "<td>\(stats.percentile(p).map { Markup.escape($0.humanText) } ?? "—")</td>"
            }
            out += "<td>\(histogram(stats, policy: summary.policy))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        return out
    }

    private func histogram(_ stats: Statistics, policy: String) -> String {
        let bins = stats.histogram(bins: 12)
        guard !bins.isEmpty else { return "no run connected" }
        let width = 300.0
        let height = 70.0
        let barWidth = width / Double(bins.count)
        let tallest = Double(bins.map(\.count).max() ?? 1)
        var svg = "<svg class=\"histogram\" role=\"img\" viewBox=\"0 0 \(Self.coordinate(width)) \(Self.coordinate(height + 14))\""
            + " width=\"\(Self.coordinate(width))\" height=\"\(Self.coordinate(height + 14))\">"
            + "<title>Histogram of time to connect, \(Markup.escape(policy))</title>"
        for (index, bin) in bins.enumerated() {
            let barHeight = Double(bin.count) / tallest * (height - 4)
            svg += "<rect class=\"hbar\" x=\"\(Self.coordinate(Double(index) * barWidth + 1))\" y=\""
                + "\(Self.coordinate(height - barHeight))\" width=\"\(Self.coordinate(barWidth - 2))\" height=\""
                + "\(Self.coordinate(barHeight))\"><title>\(Markup.escape(Duration.microseconds(bin.lower).humanText))"
                + " – \(Markup.escape(Duration.microseconds(bin.upper).humanText)): \(bin.count)</title></rect>"
        }
        let low = Duration.microseconds(bins.first?.lower ?? 0).humanText
        let high = Duration.microseconds(bins.last?.upper ?? 0).humanText
        svg += "<text class=\"axis\" x=\"0\" y=\"\(Self.coordinate(height + 12))\">\(Markup.escape(low))</text>"
        svg += "<text class=\"axis\" x=\"\(Self.coordinate(width))\" y=\"\(Self.coordinate(height + 12))\" text-anchor=\"end\">"
            + "\(Markup.escape(high))</text></svg>"
        return svg
    }
}
