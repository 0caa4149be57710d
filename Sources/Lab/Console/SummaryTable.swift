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

    package init(_ results: RunResults) {
        var order: [String] = []
        var groups: [String: [RunRecord]] = [:]
        for record in results.records {
            let key = record.scenarioName + "\u{0}" + record.policy
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(record)
        }
        rows = order.compactMap { key in
            guard let records = groups[key], let first = records.first else { return nil }
            return Self.row(first.scenarioName, first.policy, records)
        }
    }

    static func row(_ scenario: String, _ policy: String, _ records: [RunRecord]) -> Row {
        var connectTimes: [Duration] = []
        var failTimes: [Duration] = []
        var winners: [String: Int] = [:]
        var errors = 0
        for record in records {
            guard case .success(let measured) = record.measurement, let end = measured.timeline.finishedAt else {
                errors += 1
                continue
            }
            if let winner = measured.winner {
                connectTimes.append(end)
                winners[winner.description, default: 0] += 1
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
        if records.count > 1 {
            result += " (median; \(connectTimes.count)/\(records.count) connected)"
        }
        // The most frequent winner; ties go to the name that sorts first, so the table is stable.
        let winner = winners.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key ?? ""
        let expectation: String
        if errors > 0 {
            expectation = "error"
        } else if records.allSatisfy({ $0.verdicts.isEmpty }) {
            expectation = "none"
        } else {
            expectation = records.allSatisfy({ $0.expectationStatus != "fail" }) ? "pass" : "fail"
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
