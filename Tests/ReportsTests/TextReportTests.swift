import Connector
import Foundation
import Testing
@testable import Reports

@Suite("CSV, JSON and Markdown reports")
struct TextReportTests {
    let input = ReportFixtures.input

    @Test func resultsCSVMatchesGolden() throws {
        try Fixtures.expectGolden(input.resultsCSV(), "results.csv")
    }

    @Test func attemptsCSVMatchesGolden() throws {
        try Fixtures.expectGolden(input.attemptsCSV(), "attempts.csv")
    }

    @Test func summaryJSONMatchesGolden() throws {
        try Fixtures.expectGolden(input.summaryJSON(), "summary.json")
    }

    @Test func summaryMarkdownMatchesGolden() throws {
        try Fixtures.expectGolden(input.summaryMarkdown(), "summary.md")
    }

    @Test func resultsCSVStartsWithTheDesignsColumnsInOrder() {
        let header = input.resultsCSV().split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix(
            "scenario,policy,repetition,seed,network,outcome,time_to_connect_ms,time_to_fail_ms,winner,attempts,"
                + "server_connections,wasted_connections,expectation,"))
    }

    /// A herd of two clients in each of two repetitions: each row says its repetition and its
    /// client, and carries the herd's peak; the policy's summary takes the larger repetition's peak.
    static var herd: ReportInput {
        func run(_ repetition: Int, _ client: Int, peak: Int) -> RunReport {
            RunReport(
                policy: "happy-eyeballs", repetition: repetition, client: client, seed: UInt64(repetition),
                result: .connected(winner: "rtmp:443", after: .milliseconds(300 + client)), attempts: [],
                cost: ServerCost(connectionsAccepted: 4, handshakesCompleted: 2, wastedConnections: 2,
                                 peakConnections: peak, peakHandshakes: peak / 2))
        }
        return ReportInput(scenarios: [ScenarioReport(
            name: "herd", repeatCount: 4, runs: [run(1, 1, peak: 4), run(1, 2, peak: 4), run(2, 1, peak: 3), run(2, 2, peak: 3)])])
    }

    @Test func herdRowsCarryTheirClientAndTheServersPeak() throws {
        let input = Self.herd
        let lines = input.resultsCSV().components(separatedBy: "\r\n")
        #expect(lines[0].contains(",pcap,client,server_peak_connections,server_peak_handshakes,"))
        #expect(lines[1].hasPrefix("herd,happy-eyeballs,1,1,sim,connected,301.000,"))
        // The six play and reconnect columns after them are empty: this herd does not play.
        #expect(lines[1].hasSuffix(",1,4,2,,,,,,"))
        #expect(lines[2].hasPrefix("herd,happy-eyeballs,1,1,"))
        #expect(lines[2].hasSuffix(",2,4,2,,,,,,"))
        #expect(lines[4].hasPrefix("herd,happy-eyeballs,2,2,"))
        #expect(lines[4].hasSuffix(",2,3,1,,,,,,"))
        let json = input.summaryJSON()
        #expect(json.contains("\"server_peak_connections\": 4"))
        #expect(json.contains("\"client\": 2"))
        let markdown = input.summaryMarkdown()
        #expect(markdown.contains("4 conn, 2 hs, 2 wasted, peak 4 open"))
        let html = input.htmlPage(linksPcaps: false)
        #expect(html.contains("<small class=\"peak\" title=\"at most 2 handshakes in progress at once\">peak 4 conn</small>"))
        #expect(html.contains("repetition 1, client 2"))
    }

    @Test func resultsCSVRowsCarryMillisecondsWithMicrosecondPrecision() {
        let lines = input.resultsCSV().components(separatedBy: "\r\n")
        #expect(lines[1].hasPrefix(
            "corporate-firewall-drops-1935,flash-builtin,1,1,sim,connected,21730.000,,rtmpt:80,4,1,0,pass,490.000,rtmpt:80,21240.000,"))
        // A failed run: empty time to connect and winner, a time to fail, verdict fail.
        #expect(lines[3].contains(",connected,3490.000,,rtmpt:80,3,1,0,fail,"))
        #expect(lines[6].contains(",failed,,10000.000,,1,1,0,none,"))
    }

    @Test func csvNeutralisesFormulasButKeepsNegativeNumbersNumeric() throws {
        let csv = input.resultsCSV()
        let hostileRow = try #require(csv.components(separatedBy: "\r\n").first { $0.contains("HYPERLINK") })
        // The name starts with "=", so it is quoted (it holds quotes and a comma) and prefixed.
        #expect(hostileRow.hasPrefix("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") <script>alert(1)</script>\",'@akamai|x,"))
        // The regret of 47.5 ms against a 60 ms oracle is a plain negative number.
        #expect(hostileRow.contains(",-12.500,"))
        #expect(!hostileRow.contains("'-12.500"))
        let failedRow = try #require(csv.components(separatedBy: "\r\n").first { $0.contains("+rejected") })
        #expect(failedRow.contains(",'+rejected: -bad app,"))
        let attempts = input.attemptsCSV()
        #expect(attempts.contains(",rejected,\"'-bad app, \"\"quoted\"\"\","))
    }

    @Test func csvCellRules() {
        #expect(CSVTable.render(.text("=1+1")) == "'=1+1")
        #expect(CSVTable.render(.text("\tx")) == "'\tx")
        #expect(CSVTable.render(.text("\rx")) == "\"'\rx\"")
        #expect(CSVTable.render(.text("a,b")) == "\"a,b\"")
        #expect(CSVTable.render(.text("line\nbreak")) == "\"line\nbreak\"")
        #expect(CSVTable.render(.text("plain")) == "plain")
        #expect(CSVTable.render(.number("-3.000")) == "-3.000")
        #expect(CSVTable.render(.empty) == "")
    }

    @Test func jsonEscapesControlCharactersAndMarkup() {
        let json = input.summaryJSON()
        #expect(json.contains("\\u001b[31m\\nsecond line"))
        #expect(json.contains("\\u003cscript>alert(1)\\u003c/script>"))
        #expect(!json.contains("<script>"))
        #expect(json.contains("\"regret_ms\": -12.500"))
    }

    /// Plain ASCII is written whole; anything else goes through the escaping loop. Either way the
    /// text parses back to the same string.
    @Test(arguments: [
        "", "plain ascii 123", "quote \" inside", "back\\slash", "tag <b>", "tab\tand\u{7f}del", "café",
        "line\u{2028}separator", "emoji 🎥", "\u{1}control",
    ])
    func jsonStringsParseBackUnchanged(text: String) throws {
        let json = JSONValue.array([.string(text)]).text
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(parsed == [text], "\(json)")
        #expect(!json.contains("<") && !json.contains("\u{2028}"))
    }

    @Test func markdownCellsCannotBreakTheTable() throws {
        let markdown = input.summaryMarkdown()
        let row = try #require(markdown.split(separator: "\n").first { $0.contains("HYPERLINK") })
        // Every pipe inside a cell is escaped, so the row has exactly the table's 11 separators.
        let unescapedPipes = row.indices.filter { index in
            row[index] == "|" && (index == row.startIndex || row[row.index(before: index)] != "\\")
        }
        #expect(unescapedPipes.count == 11)
        #expect(row.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!markdown.contains("<script>"))
    }

    @Test func outputIsDeterministic() throws {
        let again = ReportFixtures.input
        #expect(again.resultsCSV() == input.resultsCSV())
        #expect(again.summaryJSON() == input.summaryJSON())
        #expect(again.htmlPage(linksPcaps: true)
            == input.htmlPage(linksPcaps: true))
    }
}
