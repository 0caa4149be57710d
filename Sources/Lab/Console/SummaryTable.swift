/// The table a run command prints at the end: one row per scenario × policy with the time to connect
/// (or fail), the winner and whether the expectations held.
package struct SummaryTable: Sendable {
    package var rows: [Row]

    package struct Row: Sendable, Hashable {
        package var scenario: String
        package var policy: String
        /// `connected 21.04 s`, `failed 84 s`, with the median and a count when repeated.
        package var result: String
        package var winner: String
        /// `pass`, `fail`, `none`, or `error` when a run produced nothing.
        package var expectation: String
    }

    /// One run as the table counts it: how it ended (`nil` when it produced nothing), the winner
    /// when it connected, and its expectations' `pass`/`fail`/`none`.
    struct Entry {
        var end: Duration?
        var winner: String?
        var expectation: String
    }

    package init(_ results: RunResults) {
        self.init(results.records.map { record in
            let key = Key(scenario: record.scenarioName, policy: record.policy)
            guard case .success(let measured) = record.measurement, let end = measured.timeline.finishedAt else {
                return (key, Entry(end: nil, winner: nil, expectation: record.expectationStatus))
            }
            return (key, Entry(end: end, winner: measured.winner?.description, expectation: record.expectationStatus))
        })
    }

    /// The table of runs read back from report folders (`merge`), with the scenarios' names.
    init(_ lines: [RecordLine], scenarioNames: [String]) {
        self.init(lines.map { line in
            let key = Key(scenario: scenarioNames.indices.contains(line.scenario) ? scenarioNames[line.scenario] : "", policy: line.policy)
            return (key, Entry(
                end: line.error == nil ? line.result?.after : nil,
                winner: line.result?.outcome == "connected" ? line.result?.winner : nil,
                expectation: line.expectationStatus))
        })
    }

    struct Key: Hashable {
        var scenario: String
        var policy: String
    }

    init(_ entries: [(Key, Entry)]) {
        var order: [Key] = []
        var groups: [Key: [Entry]] = [:]
        for (key, entry) in entries {
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(entry)
        }
        rows = order.compactMap { key in
            groups[key].map { Self.row(key.scenario, key.policy, $0) }
        }
    }

    static func row(_ scenario: String, _ policy: String, _ entries: [Entry]) -> Row {
        var connectTimes: [Duration] = []
        var failTimes: [Duration] = []
        var winners: [String: Int] = [:]
        var errors = 0
        for entry in entries {
            guard let end = entry.end else {
                errors += 1
                continue
            }
            if let winner = entry.winner {
                connectTimes.append(end)
                winners[winner, default: 0] += 1
            } else {
                failTimes.append(end)
            }
        }
        var result: String
        if !connectTimes.isEmpty {
            result = "connected " + DurationText.describe(median(connectTimes))
        } else if !failTimes.isEmpty {
            result = "failed " + DurationText.describe(median(failTimes))
        } else {
            result = "error"
        }
        if entries.count > 1 {
            result += " (median; \(connectTimes.count)/\(entries.count) connected)"
        }
        // The most frequent winner; ties go to the name that sorts first, so the table is stable.
        let winner = winners.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key ?? ""
        let expectation: String
        if errors > 0 {
            expectation = "error"
        } else if entries.allSatisfy({ $0.expectation == "none" }) {
            expectation = "none"
        } else {
            expectation = entries.allSatisfy({ $0.expectation != "fail" }) ? "pass" : "fail"
        }
        return Row(scenario: scenario, policy: policy, result: result, winner: winner, expectation: expectation)
    }

    static func median(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }

    /// Aligned plain-text columns.
    package var text: String {
        let header = Row(scenario: "scenario", policy: "policy", result: "result", winner: "winner", expectation: "expectation")
        let all = [header] + rows
        let columns: [[String]] = all.map { [$0.scenario, $0.policy, $0.result, $0.winner, $0.expectation] }
        var widths = [Int](repeating: 0, count: 5)
        for row in columns {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var lines: [String] = []
        for row in columns {
            var cells: [String] = []
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                cells.append(isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count))
            }
            lines.append(cells.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
