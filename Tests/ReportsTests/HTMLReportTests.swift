import Foundation
import Testing
import TestSupport
import Connector
@testable import Reports

@Suite("HTML report")
struct HTMLReportTests {
    let html = ReportFixtures.input.htmlPage(linksPcaps: true)

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func pageIsSelfContained() {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""))
        // Nothing is loaded from elsewhere: no external scripts, styles, images or fonts.
        for needle in ["<script", "<link", "<img", "<iframe", "@import", "url(", "src=", "href=\"http", "href=\"//"] {
            #expect(!html.contains(needle), "found \(needle)")
        }
    }

    @Test func everyStringFromTheScenarioIsEscaped() {
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>bold</b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("-2+3 &quot;quoted&quot;, with comma &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("&lt;/failure&gt;&lt;script&gt;x&lt;/script&gt;"))
        // Ids come from indexes, never from names.
        #expect(html.contains("id=\"s2\""))
    }

    @Test func pageHasTheMatrixChartsWaterfallsAndDistributions() {
        #expect(Self.count("<table class=\"matrix\">", in: html) == 1)
        // One matrix row per scenario, one cell per policy column (4 policies in all).
        #expect(Self.count("<tr><th class=\"scenario-name\">", in: html) == 2)
        #expect(Self.count("<svg class=\"bars\"", in: html) == 2)
        #expect(Self.count("<svg class=\"waterfall\"", in: html) == 7)
        // The repeated scenario has a distribution table with a histogram for the policy that connected.
        #expect(Self.count("<table class=\"dist\">", in: html) == 1)
        #expect(Self.count("<svg class=\"histogram\"", in: html) == 1)
        // flash-builtin's first attempt: two SYN retransmissions, timed out by the OS.
        #expect(html.contains("<title>SYN retransmitted at 3.000 s</title>"))
        #expect(html.contains("<title>SYN retransmitted at 9.000 s</title>"))
        #expect(html.contains("timeout (os) @ 21.000 s"))
        #expect(html.contains("★ won @ 21.730 s"))
        #expect(html.contains("firewall: drop ×4, reject ×1; proxy: 400 ×1"))
        #expect(html.contains("<a class=\"pcap\" href=\"pcap/corporate-firewall-drops-1935--flash-builtin--r1.pcap\">"))
        #expect(html.contains("<td class=\"cell t-bad\"><span class=\"ttc\">21.730 s</span>"))
        #expect(html.contains("<td class=\"cell t-fast\"><span class=\"ttc\">740 ms</span>"))
    }

    @Test func withoutCapturesThereAreNoDeadLinks() {
        let page = ReportFixtures.input.htmlPage(linksPcaps: false)
        #expect(!page.contains("href=\"pcap/"))
    }

    @Test func manyRepetitionsAreCappedInWaterfalls() {
        let runs = (1...25).map { repetition in
            RunReport(
                policy: "p", repetition: repetition, seed: UInt64(repetition),
                result: .connected(winner: "rtmp:1935", after: .milliseconds(Int64(100 + repetition))),
                attempts: [], cost: ServerCost(connectionsAccepted: 1, handshakesCompleted: 1, wastedConnections: 0))
        }
        let input = ReportInput(scenarios: [ScenarioReport(name: "many", repeatCount: 25, runs: runs)])
        let page = input.htmlPage(linksPcaps: false)
        #expect(Self.count("<svg class=\"waterfall\"", in: page) == HTMLReport.maximumWaterfallsPerPolicy)
        #expect(page.contains("5 more runs of p are in results.csv and attempts.csv."))
        #expect(page.contains("<td>113 ms</td><td>124 ms</td><td>125 ms</td>"))
    }

    /// Loads a page in headless Chromium; returns the serialised DOM and every console line.
    static func loadInChromium(_ file: String, screenshot: String? = nil) throws -> (dom: String, console: [String]) {
        let chromium = try #require(
            Tool.path("chromium", "chromium-browser", "google-chrome"), "chromium is required in CI to check index.html")
        let profile = try TemporaryFolder()
        var arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
            "--user-data-dir=\(profile.url.path)", "--no-first-run", "--window-size=1280,2200",
        ]
        if let screenshot { arguments.append("--screenshot=\(screenshot)") } else { arguments.append("--dump-dom") }
        arguments.append(URL(fileURLWithPath: file).absoluteString)
        let result = try withExtendedLifetime(profile) { try Tool.run(chromium, arguments, timeout: .seconds(90)) }
        let console = result.errors.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") || $0.contains("Uncaught") || $0.contains("Refused to")
        }
        return (result.output, console)
    }

    @Test(.enabled(if: Tool.runnable("chromium", "chromium-browser", "google-chrome"), "chromium is not installed"))
    func rendersInHeadlessChromiumWithoutConsoleErrors() throws {
        let folder = try TemporaryFolder()
        let out = folder.path("report")
        try ReportWriter().write(ReportFixtures.input, to: out)
        let (dom, console) = try Self.loadInChromium(out + "/index.html")
        #expect(console.isEmpty, "console: \(console.joined(separator: "\n"))")
        #expect(dom.contains("<table class=\"matrix\">"))
        #expect(Self.count("<svg class=\"waterfall\"", in: dom) == 7)
        #expect(Self.count("<svg class=\"bars\"", in: dom) == 2)
        #expect(dom.contains("<svg class=\"histogram\""))
        #expect(!dom.contains("<script"))
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        if let screenshot = ProcessInfo.processInfo.environment["REPORTS_SCREENSHOT"] {
            _ = try Self.loadInChromium(out + "/index.html", screenshot: screenshot)
        }
    }

    /// The console check is not blind: a page that tries to load a remote image and run a script
    /// is caught by the same check.
    @Test(.enabled(if: Tool.runnable("chromium", "chromium-browser", "google-chrome"), "chromium is not installed"))
    func theConsoleCheckCatchesABrokenPage() throws {
        let folder = try TemporaryFolder()
        let file = folder.path("broken.html")
        let page = html.replacingOccurrences(
            of: "</body>", with: "<img src=\"http://example.invalid/x.png\"><script>undefinedFunction()</script></body>")
        try Data(page.utf8).write(to: URL(fileURLWithPath: file))
        let (_, console) = try Self.loadInChromium(file)
        #expect(console.count >= 2, "console: \(console)")
    }
}

@Suite("HTML report: scenario oracle")
struct ScenarioOracleTests {
    /// Each policy's oracle covers only its own candidates; the scenario's is the fastest of them
    /// per repetition, then the median over repetitions.
    @Test func scenarioOracleIsTheFastestPerRepetitionThenTheMedian() {
        func run(_ policy: String, _ repetition: Int, _ oracle: (String, Int64)?) -> RunReport {
            RunReport(
                policy: policy, repetition: repetition, seed: 1, result: .failed(reason: "x", after: .seconds(1)),
                attempts: [], cost: ServerCost(),
                oracle: oracle.map { OracleResult(candidate: $0.0, timeToConnect: .milliseconds($0.1)) })
        }
        let scenario = ScenarioReport(name: "s", repeatCount: 3, runs: [
            run("a", 1, ("rtmp:1935", 300)), run("b", 1, ("rtmpt:80", 120)), run("c", 1, nil),
            run("a", 2, ("rtmp:1935", 100)), run("b", 2, ("rtmpt:80", 130)),
            run("a", 3, ("rtmp:1935", 500)), run("b", 3, ("rtmpt:80", 140)),
        ])
        func gathered(_ scenario: ScenarioReport) -> ScenarioSummary {
            var summary = ScenarioSummary(scenario)
            for (index, run) in scenario.runs.enumerated() { summary.add(run, index: index, pcap: nil) }
            return summary
        }
        let (oracle, candidate) = gathered(scenario).oracle
        // Fastest per repetition: 120 (rtmpt), 100 (rtmp), 140 (rtmpt) → median 120, mostly rtmpt:80.
        #expect(oracle == .milliseconds(120))
        #expect(candidate == "rtmpt:80")
        let none = gathered(ScenarioReport(name: "none", runs: [run("c", 1, nil)])).oracle
        #expect(none.time == nil && none.candidate == nil)
    }
}
