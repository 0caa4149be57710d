extension ReportInput {
    /// `junit.xml` in the common JUnit format read by Jenkins, GitLab and the GitHub reporter
    /// actions: one `<testsuite>` per scenario, one `<testcase>` per policy whose `time` is the time
    /// to connect in seconds (the time to fail when it never connected; the median over repetitions),
    /// `<properties>` with the winner, attempts and server cost, and one `<failure>` per failed
    /// expectation so that CI lists each broken promise on its own.
    func junitXML() -> String {
        var suites: [String] = []
        var totalTests = 0
        var totalFailures = 0
        var totalTime: Int64 = 0
        for scenario in scenarios {
            let summaries = PolicySummary.group(scenario)
            var cases: [String] = []
            var failures = 0
            var suiteTime: Int64 = 0
            for summary in summaries {
                let time = summary.typicalTimeToConnect ?? summary.typicalTimeToFail ?? .zero
                suiteTime = Self.saturatingSum(suiteTime, max(0, time.reportMicroseconds))
                var body = "      <properties>\n"
                for (name, value) in Self.junitProperties(summary) {
                    body += "        <property name=\"\(Markup.escape(name))\" value=\"\(Markup.escape(value))\"/>\n"
                }
                body += "      </properties>\n"
                for run in summary.runs.map(\.run) {
                    for expectation in run.failedExpectations {
                        failures += 1
                        let prefix = summary.runs.count > 1 ? "\(run.runLabel): " : ""
                        body += "      <failure type=\"expectation\" message=\""
                            + Markup.escape(prefix + expectation.description) + "\">"
                            + Markup.escape(expectation.detail) + "</failure>\n"
                    }
                }
                cases.append(
                    "    <testcase name=\"\(Markup.escape(summary.policy))\" classname=\"\(Markup.escape(scenario.name))\""
                        + " time=\"\(Duration.microseconds(max(0, time.reportMicroseconds)).secondsText)\">\n"
                        + body + "    </testcase>\n")
            }
            totalTests += summaries.count
            totalFailures += failures
            totalTime = Self.saturatingSum(totalTime, suiteTime)
            var suite = "  <testsuite name=\"\(Markup.escape(scenario.name))\" tests=\"\(summaries.count)\""
                + " failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
                + " time=\"\(Duration.microseconds(suiteTime).secondsText)\">\n"
            suite += "    <properties>\n"
            suite += "      <property name=\"description\" value=\"\(Markup.escape(scenario.description))\"/>\n"
            suite += "      <property name=\"repeat\" value=\"\(scenario.repeatCount)\"/>\n"
            suite += "    </properties>\n"
            suite += cases.joined()
            suite += "  </testsuite>\n"
            suites.append(suite)
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
            suites.append(suite)
            totalTests += baseline.rows.count
            totalFailures += baseline.regressed.count
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"\(Markup.escape(title))\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\""
            + " errors=\"0\" time=\"\(Duration.microseconds(totalTime).secondsText)\">\n"
            + suites.joined()
            + "</testsuites>\n"
    }

    /// Adds two non-negative microsecond counts, stopping at `Int64.max` instead of trapping.
    private static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    private static func junitProperties(_ summary: PolicySummary) -> [(String, String)] {
        var properties: [(String, String)] = [
            ("winner", summary.commonWinner ?? ""),
            ("outcome", summary.runs.count == 1
                ? summary.runs[0].run.outcomeToken
                : "\(summary.connectedCount)/\(summary.runs.count) connected"),
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
        if summary.runs.count > 1 {
            properties.append(("repetitions", String(summary.runs.count)))
            for p in [50, 95, 99] {
                if let value = summary.connectStatistics.percentile(p) {
                    properties.append(("time_to_connect_p\(p)_ms", value.millisecondsText))
                }
            }
        }
        return properties
    }
}
