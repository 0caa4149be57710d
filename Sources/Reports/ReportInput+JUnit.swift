extension ReportInput {
    /// `junit.xml` in the common JUnit format read by Jenkins, GitLab and the GitHub reporter
    /// actions: one `<testsuite>` per scenario, one `<testcase>` per policy whose `time` is the time
    /// to connect in seconds (the time to fail when it never connected; the median over repetitions),
    /// `<properties>` with the winner, attempts and server cost, and one `<failure>` per failed
    /// expectation so that CI lists each broken promise on its own.
    ///
    /// Written in two parts (issue 13): each run's `<failure>`s as the run comes in
    /// (`junitFailures`, into a spool), and at the end the document around them (`composeJUnit`).
    /// A run's failures name the run only when its policy ran more than once, which is known only at
    /// the end: the stream holds the first run's failures until a second run of its policy comes.
    static func junitFailures(_ run: RunReport, labelled: Bool) -> String {
        var out = ""
        for expectation in run.failedExpectations {
            let prefix = labelled ? "\(run.runLabel): " : ""
            out += "      <failure type=\"expectation\" message=\""
                + Markup.escape(prefix + expectation.description) + "\">"
                + Markup.escape(expectation.detail) + "</failure>\n"
        }
        return out
    }

    /// The whole of `junit.xml` into `out`. `failures(scenario, policy)` writes that testcase's
    /// failures, in the order of its runs.
    func composeJUnit(
        _ summaries: [ScenarioSummary], into out: ReportFile,
        failures: (_ scenario: Int, _ policy: String, _ out: ReportFile) throws(ReportError) -> Void
    ) throws(ReportError) {
        func time(_ summary: PolicySummary) -> Duration { summary.typicalTimeToConnect ?? summary.typicalTimeToFail ?? .zero }
        let suiteTimes = summaries.map { scenario in
            scenario.policies.reduce(Int64(0)) { Self.saturatingSum($0, max(0, time($1).reportMicroseconds)) }
        }
        var totalTests = summaries.reduce(0) { $0 + $1.policies.count }
        var totalFailures = summaries.reduce(0) { $0 + $1.expectationsFailed }
        let totalTime = suiteTimes.reduce(Int64(0), Self.saturatingSum)
        if let baseline {
            totalTests += baseline.rows.count
            totalFailures += baseline.regressed.count
        }
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"\(Markup.escape(title))\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\""
            + " errors=\"0\" time=\"\(Duration.microseconds(totalTime).secondsText)\">\n")
        for (index, summary) in summaries.enumerated() {
            let scenario = summary.scenario
            var suite = "  <testsuite name=\"\(Markup.escape(scenario.name))\" tests=\"\(summary.policies.count)\""
                + " failures=\"\(summary.expectationsFailed)\" errors=\"0\" skipped=\"0\""
                + " time=\"\(Duration.microseconds(suiteTimes[index]).secondsText)\">\n"
            suite += "    <properties>\n"
            suite += "      <property name=\"description\" value=\"\(Markup.escape(scenario.description))\"/>\n"
            suite += "      <property name=\"repeat\" value=\"\(scenario.repeatCount)\"/>\n"
            suite += "    </properties>\n"
            out.append(suite)
            for policy in summary.policies {
                var head = "    <testcase name=\"\(Markup.escape(policy.policy))\" classname=\"\(Markup.escape(scenario.name))\""
                    + " time=\"\(Duration.microseconds(max(0, time(policy).reportMicroseconds)).secondsText)\">\n"
                head += "      <properties>\n"
                for (name, value) in Self.junitProperties(policy) {
                    head += "        <property name=\"\(Markup.escape(name))\" value=\"\(Markup.escape(value))\"/>\n"
                }
                head += "      </properties>\n"
                out.append(head)
                try failures(index, policy.policy, out)
                out.append("    </testcase>\n")
                try out.flushIfFull()
            }
            out.append("  </testsuite>\n")
        }
        if let baseline {
            // One testcase per compared pair; a regression is its failure, so CI lists it like a
            // broken expectation.
            var suite = "  <testsuite name=\"Compared with baseline\" tests=\"\(baseline.rows.count)\""
                + " failures=\"\(baseline.regressed.count)\" errors=\"0\" skipped=\"0\" time=\"0\">\n"
            for row in baseline.rows {
                suite += "    <testcase name=\"\(Markup.escape(row.policy))\" classname=\"\(Markup.escape("baseline." + row.scenario))\" time=\"0\">\n"
                if !row.regressions.isEmpty {
                    suite += "      <failure type=\"regression\" message=\"\(Markup.escape(row.regressions.joined(separator: "; ")))\">"
                        + Markup.escape("median \(row.median) ms, p95 \(row.p95) ms, failures \(row.failures)") + "</failure>\n"
                }
                suite += "    </testcase>\n"
            }
            suite += "  </testsuite>\n"
            out.append(suite)
        }
        out.append("</testsuites>\n")
    }

    /// Adds two non-negative microsecond counts, stopping at `Int64.max` instead of trapping.
    private static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private static func junitProperties(_ summary: PolicySummary) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("winner", summary.commonWinner ?? ""),
            ("outcome", summary.outcomeText),
            ("attempts", summary.attemptsText),
            ("cost", summary.costText),
            ("server_connections", summary.connectionsText),
            ("server_handshakes", summary.handshakesText),
            ("wasted_connections", summary.wastedText),
        ]
        if let peak = summary.peakConnections {
            properties.append(("server_peak_connections", String(peak)))
        }
        if let peak = summary.peakHandshakes {
            properties.append(("server_peak_handshakes", String(peak)))
        }
        if let oracle = summary.typicalOracle {
            properties.append(("oracle_ms", oracle.millisecondsText))
        }
        if let regret = summary.typicalRegret {
            properties.append(("regret_ms", regret.millisecondsText))
        }
        if summary.runCount > 1 {
            properties.append(("repetitions", String(summary.runCount)))
            for p in [50, 95, 99] {
                if let value = summary.connectStatistics.percentile(p) {
                    properties.append(("time_to_connect_p\(p)_ms", value.millisecondsText))
                }
            }
        }
        return properties
    }
}
