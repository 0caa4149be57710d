extension ReportInput {
    /// `summary.json`: the scenarios with per-policy aggregates and every run's figures, for tools
    /// that post-process results (dashboards, trend charts). Times are milliseconds with three decimals.
    func summaryJSON(layout: ReportLayout) -> String {
        let allRuns = scenarios.flatMap(\.runs)
        var root: [(String, JSONValue)] = [("title", .string(title))]
        if let generatedAt { root.append(("generated_at", .string(generatedAt))) }
        root.append(("totals", .object([
            ("scenarios", .int(scenarios.count)),
            ("runs", .int(allRuns.count)),
            ("connected", .int(allRuns.count { $0.timeToConnect != nil })),
            ("failed", .int(allRuns.count { $0.timeToConnect == nil })),
            ("expectations", .int(allRuns.reduce(0) { $0 + $1.expectations.count })),
            ("expectations_failed", .int(allRuns.reduce(0) { $0 + $1.failedExpectations.count })),
        ])))
        root.append(("scenarios", .array(scenarios.enumerated().map { index, scenario in
            scenarioJSON(scenario, index: index, layout: layout)
        })))
        return JSONValue.object(root).text
    }

    private func scenarioJSON(_ scenario: ScenarioReport, index: Int, layout: ReportLayout) -> JSONValue {
        .object([
            ("name", .string(scenario.name)),
            ("description", .string(scenario.description)),
            ("repeat", .int(scenario.repeatCount)),
            ("network", .optionalString(scenario.networkSummary)),
            ("server", .optionalString(scenario.serverSummary)),
            ("firewall", .array(scenario.firewallRules.map(JSONValue.string))),
            ("proxy", .optionalString(scenario.proxySummary)),
            ("policies", .array(PolicySummary.group(scenario).map { summary in
                .object([
                    ("policy", .string(summary.policy)),
                    ("runs", .int(summary.runs.count)),
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
            ("runs", .array(scenario.runs.enumerated().map { runIndex, run in
                runJSON(run, pcap: layout.pcapName(scenario: index, run: runIndex))
            })),
        ])
    }

    private func runJSON(_ run: RunReport, pcap: String?) -> JSONValue {
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
        ])
    }
}
