import Foundation
import Testing
import TestSupport
@testable import Reports

/// `run --baseline`'s comparison in the three files that carry it; without one they do not change
/// (the golden files of the other suites hold that).
@Suite struct BaselineReportTests {
    static let baseline = BaselineReport(
        method: "Baseline `a`, current `b`.",
        rows: [
            .init(scenario: "s", policy: "fast", runs: "30 → 30", median: "410 → 410", p95: "410 → 410", failures: "0% → 0%",
                  winner: "rtmpt:80", serverConnections: "1 → 1", peak: "1 → 1", regressions: []),
            .init(scenario: "s", policy: "slow <&>", runs: "30 → 30", median: "410 → 2160", p95: "410 → 2160",
                  failures: "0% → 0%", winner: "rtmpt:80", serverConnections: "1 → 1", peak: "1 → 1",
                  regressions: ["median time to connect 410 → 2160 ms (+1750 ms)"]),
        ],
        winnerChanges: [], onlyInBaseline: ["gone / p"], onlyInCurrent: [])

    static var input: ReportInput {
        var input = ReportFixtures.input
        input.baseline = baseline
        return input
    }

    @Test func junitCountsEachPairAndFailsTheRegressedOne() throws {
        let xml = Self.input.junitXML()
        #expect(xml.contains("<testsuite name=\"Compared with baseline\" tests=\"2\" failures=\"1\""))
        #expect(xml.contains("<testcase name=\"slow &lt;&amp;&gt;\" classname=\"baseline.s\" time=\"0\">"))
        #expect(xml.contains("<failure type=\"regression\" message=\"median time to connect 410 → 2160 ms (+1750 ms)\">"))
        #expect(xml.contains("<testsuites name=\"FallbackLab\" tests=\"7\" failures=\"3\""), "the fixture's 5 and 2, plus these")
    }

    @Test(.enabled(if: Tool.runnable("xmllint"), "xmllint (libxml2-utils) is not installed"))
    func theJUnitWithABaselineStillValidates() throws {
        let xmllint = try #require(Tool.path("xmllint"), "xmllint (package libxml2-utils) is required in CI")
        let folder = try TemporaryFolder()
        let document = folder.path("junit.xml")
        try Data(Self.input.junitXML().utf8).write(to: URL(fileURLWithPath: document))
        let result = try Tool.run(xmllint, ["--noout", "--schema", Fixtures.url("junit.xsd").path, document])
        #expect(result.status == 0, "xmllint: \(result.errors)")
    }

    @Test func summaryAndPageGetTheSection() {
        let markdown = Self.input.summaryMarkdown()
        #expect(markdown.hasSuffix(Self.baseline.markdown))
        #expect(markdown.contains("| s | slow &lt;&amp;&gt; | 30 → 30 | **410 → 2160** |"))
        #expect(markdown.contains("Only in the baseline: gone / p"))
        let html = Self.input.htmlPage(linksPcaps: false)
        #expect(html.contains("<section id=\"baseline\">"))
        #expect(html.contains("1 of 2 pairs regressed"))
        #expect(html.contains("<li>s / slow &lt;&amp;&gt;: median time to connect"))
        #expect(!ReportFixtures.input.htmlPage(linksPcaps: false).contains("id=\"baseline\""))
    }
}
