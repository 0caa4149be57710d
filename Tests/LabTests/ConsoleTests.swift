import Synchronization
import Testing
@testable import Lab

@Suite struct ConsoleTests {
    static func results() async throws -> RunResults {
        let open = try ScenarioLoader.parse(Array("""
            description: open
            repeat: 2
            client:
              url: rtmp://media.example.com/live
            policies: [flash-builtin, akamai]
            expect:
              - policy: akamai
                outcome: failed
            """.utf8), file: "open.yaml")
        let blocked = try ScenarioLoader.parse(Array("""
            description: blocked
            client:
              url: rtmp://media.example.com/live
            firewall:
              - action: drop
            policies: [jw4-streamer-list]
            """.utf8), file: "blocked.yaml")
        return await LabRunner.run(try LabRunner.plan([open, blocked], options: RunOptions(jobs: 2)))
    }

    @Test func summaryTableRows() async throws {
        let table = SummaryTable(try await Self.results())
        #expect(table.text == """
            scenario  policy             result                                    winner     expectation
            open      flash-builtin      connected 120 ms (median; 2/2 connected)  rtmp:1935  none
            open      akamai             connected 120 ms (median; 2/2 connected)  rtmp:1935  fail
            blocked   jw4-streamer-list  failed 3 s                                           none

            """)
    }

    /// In a log, one line per scenario, in scenario order, whatever order the runs finish in.
    @Test func plainLinesInScenarioOrder() async throws {
        let results = try await Self.results()
        let output = Mutex("")
        let printer = ProgressPrinter(style: .lines, scenarios: results.scenarios) { text in output.withLock { $0 += text } }
        // Feed the runs backwards: the last scenario finishes first.
        for (offset, record) in results.records.reversed().enumerated() {
            printer.report(RunProgress(finished: offset + 1, total: results.records.count, record: record))
        }
        printer.finish()
        #expect(output.withLock { $0 } == """
            open: 4 runs, 4 connected, 0/2 expectations held
            blocked: 1 runs, 0 connected, no expectations

            """)
    }

    @Test func liveLineOnATerminalOnly() {
        #expect(ProgressPrinter.style(isTerminal: true, environment: [:]) == .live)
        #expect(ProgressPrinter.style(isTerminal: true, environment: ["CI": "true"]) == .lines)
        #expect(ProgressPrinter.style(isTerminal: false, environment: [:]) == .lines)
    }

    @Test func policyListingNamesEveryPresetAndItsSources() {
        let text = PolicyListing.text
        for name in ["flash-builtin", "jw4-streamer-list", "jw5-tunneling", "ncmanager-flex", "ncmanager-flvplayback", "flowplayer", "akamai", "happy-eyeballs"] {
            #expect(text.contains("\n\(name)\n") || text.hasPrefix("\(name)\n"))
        }
        #expect(text.contains("for rtmp://media.example.com/live: rtmp:1935, rtmp:443, rtmp:80, rtmpt:80"))
        #expect(text.contains("sources:"))
    }
}
