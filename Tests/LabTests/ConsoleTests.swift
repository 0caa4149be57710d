import Dispatch
import NIOConcurrencyHelpers
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
        let table = RunTally(try await Self.results()).summaryTable
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
        let output = NIOLockedValueBox("")
        let printer = ProgressPrinter(style: .lines, scenarios: results.scenarios) { text in output.withLockedValue { $0 += text } }
        // Feed the runs backwards: the last scenario finishes first.
        for (offset, record) in results.records.reversed().enumerated() {
            printer.report(RunProgress(finished: offset + 1, total: results.records.count, record: record))
        }
        printer.finish()
        #expect(output.withLockedValue { $0 } == """
            open: 4 runs, 4 connected, 0/2 expectations held
            blocked: 1 runs, 0 connected, no expectations

            """)
    }

    /// Runs finish on every worker at once; the printer must still print each scenario once, in order,
    /// exactly as when the same runs arrive one by one.
    @Test func concurrentReportsPrintLikeSequentialOnes() async throws {
        let herd = try ScenarioLoader.parse(Array("""
            description: many runs
            repeat: 150
            client:
              url: rtmp://media.example.com/live
            firewall:
              - port: 1935
                action: drop
            policies: [flash-builtin, happy-eyeballs]
            """.utf8), file: "many.yaml")
        let results = await LabRunner.run(try LabRunner.plan([herd], options: RunOptions(jobs: 2)))
        let records = results.records
        #expect(records.count == 300)
        func printed(workers: Int) -> String {
            let output = NIOLockedValueBox("")
            let printer = ProgressPrinter(style: .lines, scenarios: results.scenarios) { text in
                output.withLockedValue { $0 += text }
            }
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: records.count, by: workers) {
                    printer.report(RunProgress(finished: index + 1, total: records.count, record: records[index]))
                }
            }
            printer.finish()
            return output.withLockedValue { $0 }
        }
        let sequential = printed(workers: 1)
        #expect(sequential.hasPrefix("many: 300 runs, 300 connected"))
        #expect(sequential.split(separator: "\n").count == 1)
        #expect(printed(workers: 4) == sequential)
    }

    /// On a terminal every finished run rewrites the live line, from whichever worker finished it: many
    /// workers reporting at once must each get their frame written, none lost or torn. Under
    /// ThreadSanitizer (in CI) this contention made the uninstrumented `Synchronization.Mutex` report
    /// a false race in 2 of 2 runs; with the pthread lock it is clean.
    @Test func liveFramesFromManyWorkersAreAllWritten() async throws {
        let results = try await Self.results()
        let record = try #require(results.records.first)
        let frames = NIOLockedValueBox(0)
        let printer = ProgressPrinter(style: .live, scenarios: results.scenarios) { text in
            if text.hasPrefix("\r") { frames.withLockedValue { $0 += 1 } }
        }
        let workers = 4
        let reportsEach = 5_000
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in 0..<reportsEach {
                printer.report(RunProgress(finished: worker * reportsEach + index + 1, total: workers * reportsEach, record: record))
            }
        }
        #expect(frames.withLockedValue { $0 } == workers * reportsEach)
    }

    @Test func liveLineOnATerminalOnly() {
        #expect(ProgressPrinter.style(isTerminal: true, environment: [:]) == .live)
        #expect(ProgressPrinter.style(isTerminal: true, environment: ["CI": "true"]) == .lines)
        #expect(ProgressPrinter.style(isTerminal: false, environment: [:]) == .lines)
    }

    @Test func policyListingNamesEveryPresetAndItsSources() {
        let text = PolicyListing.text
        for name in ["flash-builtin", "jw4-streamer-list", "jw5-tunneling", "ncmanager-flex", "ncmanager-flvplayback", "flowplayer", "akamai", "happy-eyeballs", "flash-fms3"] {
            #expect(text.contains("\n\(name)\n") || text.hasPrefix("\(name)\n"))
        }
        #expect(text.contains("for rtmp://media.example.com/live: rtmp:1935, rtmp:443, rtmp:80, rtmpt:80"))
        #expect(text.contains("for rtmp://media.example.com/live: rtmp:1935, rtmp:80, rtmpt:80"))
        #expect(text.contains("sources:"))
    }
}
