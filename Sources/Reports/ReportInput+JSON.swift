extension ReportInput {
    /// `summary.json`: the scenarios with per-policy aggregates and every run's figures, for tools
    /// that post-process results (dashboards, trend charts). Times are milliseconds with three decimals.
    ///
    /// Written in two parts (issue 13): each run's object as the run comes in (`summaryJSONRun`, into
    /// a spool), and at the end the document around them (`composeSummaryJSON`), which copies each
    /// scenario's runs from the spool into its `runs` array. The bytes are those of one `JSONValue`
    /// of the whole report.
    static func summaryJSONRun(_ run: RunReport, pcap: String?) -> String {
        // A run's object is an item of a scenario's `runs`, itself a member of an item of `scenarios`.
        JSONValue.streamedItem(runJSON(run, pcap: pcap), indent: 6)
    }

    /// The whole of `summary.json` into `out`: `runs` holds the scenarios' spooled runs at `ranges`
    /// (one list per scenario, in order).
    func composeSummaryJSON(
        _ summaries: [ScenarioSummary], runs: ReportFile, ranges: [[Range<Int>]], into out: ReportFile
    ) throws(ReportError) {
        var text = ""
        var root: [(String, JSONValue)] = [("title", .string(title))]
        if let generatedAt { root.append(("generated_at", .string(generatedAt))) }
        let runCount = summaries.reduce(0) { $0 + $1.runCount }
        let connected = summaries.reduce(0) { $0 + $1.connectedCount }
        root.append(("totals", .object([
            ("scenarios", .int(summaries.count)),
            ("runs", .int(runCount)),
            ("connected", .int(connected)),
            ("failed", .int(runCount - connected)),
            ("expectations", .int(summaries.reduce(0) { $0 + $1.expectationsChecked })),
            ("expectations_failed", .int(summaries.reduce(0) { $0 + $1.expectationsFailed })),
        ])))
        JSONValue.open(root, thenKey: "scenarios", into: &text, indent: 0)
        if summaries.isEmpty { text += "[]" } else { text += "[" }
        for (index, summary) in summaries.enumerated() {
            text += (index == 0 ? "\n" : ",\n") + String(repeating: " ", count: 4)
            JSONValue.open(Self.scenarioMembers(summary), thenKey: "runs", into: &text, indent: 4)
            let spooled = ranges.indices.contains(index) ? ranges[index].filter { !$0.isEmpty } : []
            if spooled.isEmpty {
                text += "[]"
            } else {
                text += "["
                out.append(text)
                text = ""
                for (position, range) in spooled.enumerated() {
                    // The first item's comma is not written: `[` is followed by a line break.
                    try out.append(position == 0 ? range.dropFirst() : range, of: runs)
                }
                text += "\n" + String(repeating: " ", count: 6) + "]"
            }
            text += JSONValue.close(indent: 4)
        }
        if !summaries.isEmpty { text += "\n  ]" }
        text += JSONValue.close(indent: 0) + "\n"
        out.append(text)
    }

    private static func scenarioMembers(_ summary: ScenarioSummary) -> [(String, JSONValue)] {
        let scenario = summary.scenario
        return [
            ("name", .string(scenario.name)),
            ("description", .string(scenario.description)),
            ("repeat", .int(scenario.repeatCount)),
            ("network", .optionalString(scenario.networkSummary)),
            ("server", .optionalString(scenario.serverSummary)),
            ("firewall", .array(scenario.firewallRules.map(JSONValue.string))),
            ("proxy", .optionalString(scenario.proxySummary)),
            ("policies", .array(summary.policies.map { summary in
                .object([
                    ("policy", .string(summary.policy)),
                    ("runs", .int(summary.runCount)),
                    ("connected", .int(summary.connectedCount)),
                    ("failed", .int(summary.failedCount)),
                    ("time_to_connect_p50_ms", .milliseconds(summary.connectStatistics.percentile(50))),
                    ("time_to_connect_p95_ms", .milliseconds(summary.connectStatistics.percentile(95))),
                    ("time_to_connect_p99_ms", .milliseconds(summary.connectStatistics.percentile(99))),
                    ("regret_p50_ms", .milliseconds(summary.typicalRegret)),
                    ("winner", .optionalString(summary.commonWinner)),
                    ("expectation", .string(summary.verdict)),
                    ("server_peak_connections", summary.peakConnections.map(JSONValue.int) ?? .null),
                    ("server_peak_handshakes", summary.peakHandshakes.map(JSONValue.int) ?? .null),
                ])
            })),
        ]
    }

    private static func runJSON(_ run: RunReport, pcap: String?) -> JSONValue {
        .object([
            ("policy", .string(run.policy)),
            ("repetition", .int(run.repetition)),
            ("client", .int(run.client)),
            ("seed", .number(String(run.seed))),
            ("network", .string(run.network)),
            ("outcome", .string(run.outcomeToken)),
            ("time_to_connect_ms", .milliseconds(run.timeToConnect)),
            ("time_to_fail_ms", .milliseconds(run.timeToFail)),
            ("winner", .optionalString(run.winner)),
            ("failure_reason", .optionalString(run.failureReason)),
            ("attempts", .int(run.attempts.count)),
            ("server_connections", .int(run.cost.connectionsAccepted)),
            ("server_handshakes", .int(run.cost.handshakesCompleted)),
            ("wasted_connections", .int(run.cost.wastedConnections)),
            ("server_peak_connections", run.cost.peakConnections.map(JSONValue.int) ?? .null),
            ("server_peak_handshakes", run.cost.peakHandshakes.map(JSONValue.int) ?? .null),
            ("oracle_ms", .milliseconds(run.oracle?.timeToConnect)),
            ("oracle_candidate", .optionalString(run.oracle?.candidate)),
            ("regret_ms", .milliseconds(run.regret)),
            ("expectation", .string(run.expectationVerdict)),
            ("expectations", .array(run.expectations.map { expectation in
                .object([
                    ("description", .string(expectation.description)),
                    ("passed", .bool(expectation.passed)),
                    ("detail", .string(expectation.detail)),
                ])
            })),
            ("pcap", pcap.map { .string("pcap/" + $0) } ?? .null),
            ("time_to_first_frame_ms", .milliseconds(run.timeToFirstFrame)),
            ("play_failure", .optionalString(run.playFailure)),
            ("reconnect_switch_ms", .milliseconds(run.reconnectSwitchTime)),
            ("reconnect_gap_ms", .milliseconds(run.reconnectMediaGap)),
            ("reconnect_winner", .optionalString(run.reconnectWinner?.candidate)),
            ("reconnect_failure", .optionalString(run.reconnectFailure)),
        ])
    }
}
