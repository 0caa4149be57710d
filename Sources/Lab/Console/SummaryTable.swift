import Reports

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
        /// Time to the first frame, for a player that plays.
        var firstFrame: Duration? = nil
    }

    struct Key: Hashable {
        var scenario: String
        var policy: String
    }

    /// The table gathered a run at a time, in bounded memory per row (issue 13): the medians come
    /// from `Statistics`, exact up to its limit, fed whole microseconds as `DurationText` prints them.
    package struct Builder: Sendable {
        private var order: [Key] = []
        private var groups: [Key: Group] = [:]

        package init() {}

        struct Group: Sendable {
            var runs = 0
            var connectTimes = Statistics()
            var failTimes = Statistics()
            var firstFrames = Statistics()
            var winners: [String: Int] = [:]
            var errors = 0
            var allNone = true
            var anyFail = false
        }

        /// One run as the table counts it.
        package mutating func add(_ record: RunRecord) {
            let key = Key(scenario: record.scenarioName, policy: record.policy)
            guard case .success(let measured) = record.measurement, let end = measured.timeline.finishedAt else {
                return add(key, Entry(end: nil, winner: nil, expectation: record.expectationStatus))
            }
            add(key, Entry(end: end, winner: measured.winner?.description, expectation: record.expectationStatus,
                           firstFrame: measured.timeline.timeToFirstFrame))
        }

        /// A run read back from a report folder (`merge`).
        mutating func add(_ line: RecordLine, scenarioName: String) {
            add(Key(scenario: scenarioName, policy: line.policy),
                Entry(end: line.error == nil ? line.result?.after : nil,
                      winner: line.result?.outcome == "connected" ? line.result?.winner : nil,
                      expectation: line.expectationStatus,
                      firstFrame: line.attempts?.first { $0.ending == .won }?.phases.first { $0.phase == .firstFrame }?.at))
        }

        mutating func add(_ key: Key, _ entry: Entry) {
            if groups[key] == nil {
                order.append(key)
                groups[key] = Group()
            }
            groups[key]?.add(entry)
        }

        package var table: SummaryTable {
            SummaryTable(rows: order.compactMap { key in groups[key].map { SummaryTable.row(key.scenario, key.policy, $0) } })
        }
    }

    private static func row(_ scenario: String, _ policy: String, _ group: Builder.Group) -> Row {
        var result: String
        if let median = group.connectTimes.percentile(50) {
            result = "connected " + DurationText.describe(median)
        } else if let median = group.failTimes.percentile(50) {
            result = "failed " + DurationText.describe(median)
        } else {
            result = "error"
        }
        if let median = group.firstFrames.percentile(50) {
            result += ", first frame " + DurationText.describe(median)
        }
        if group.runs > 1 {
            result += " (median; \(group.connectTimes.count)/\(group.runs) connected)"
        }
        // The most frequent winner; ties go to the name that sorts first, so the table is stable.
        let winner = group.winners.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key ?? ""
        let expectation = group.errors > 0 ? "error" : group.allNone ? "none" : group.anyFail ? "fail" : "pass"
        return Row(scenario: scenario, policy: policy, result: result, winner: winner, expectation: expectation)
    }

    /// Aligned plain-text columns.
    package var text: String {
        let header = Row(scenario: "scenario", policy: "policy", result: "result", winner: "winner", expectation: "expectation")
        let all = [header] + rows
        let columns: [[String]] = all.map { [$0.scenario, $0.policy, $0.result, $0.winner, $0.expectation] }
        return AlignedColumns.lines(columns).joined(separator: "\n") + "\n"
    }
}

extension SummaryTable.Builder.Group {
    mutating func add(_ entry: SummaryTable.Entry) {
        runs += 1
        if entry.expectation != "none" { allNone = false }
        if entry.expectation == "fail" { anyFail = true }
        guard let end = entry.end else {
            errors += 1
            return
        }
        // Whole microseconds, as `DurationText` reads a duration: the median prints as it did
        // when every time was kept.
        let time = Duration.microseconds(DurationText.microseconds(of: end))
        if let winner = entry.winner {
            connectTimes.add(time)
            winners[winner, default: 0] += 1
            if let firstFrame = entry.firstFrame {
                firstFrames.add(Duration.microseconds(DurationText.microseconds(of: firstFrame)))
            }
        } else {
            failTimes.add(time)
        }
    }
}
