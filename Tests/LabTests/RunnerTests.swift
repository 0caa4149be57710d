import Connector
import Foundation
import Testing
@testable import Lab

@Suite struct RunnerTests {
    static func scenario(_ text: String, file: String = "inline.yaml") throws -> Scenario {
        try ScenarioLoader.parse(Array(text.utf8), file: file)
    }

    static func run(_ scenarios: [Scenario], jobs: Int = 1, options: RunOptions = RunOptions()) async throws -> RunResults {
        var options = options
        options.jobs = jobs
        return await LabRunner.run(try LabRunner.plan(scenarios, options: options))
    }

    static func outcome(_ results: RunResults, policy: String) throws -> (connected: Bool, after: Duration, winner: String?) {
        let record = try #require(results.records.first { $0.policy == policy })
        let measured = try record.measurement.get()
        let after = try #require(measured.timeline.finishedAt)
        return (measured.timeline.outcome == .connected, after, measured.winner?.description)
    }

    /// Seed thread: 1935 and 443 dropped, port 80 open, Windows client: Flash reaches rtmp:80 after two
    /// 21 s OS timeouts.
    @Test func flashWaitsTwoWindowsTimeoutsBeforePort80() async throws {
        let scenario = try Self.scenario("""
            description: 1935 and 443 dropped
            client:
              url: rtmp://media.example.com/live
              os: windows
            network:
              latency: 20ms
            firewall:
              - ports: [1935, 443]
                action: drop
            policies: [flash-builtin]
            """)
        let flash = try Self.outcome(try await Self.run([scenario]), policy: "flash-builtin")
        #expect(flash.connected)
        #expect(flash.winner == "rtmp:80")
        #expect(flash.after > .seconds(42) && flash.after < .seconds(43))
    }

    /// Seed thread: an explicit :1935 gets no fallback; Flash fails after one Windows timeout.
    @Test func explicitPortMeansNoFallback() async throws {
        let scenario = try Self.scenario("""
            description: explicit port
            client:
              url: rtmp://media.example.com:1935/live
            firewall:
              - port: 1935
                action: drop
            policies: [flash-builtin]
            """)
        let flash = try Self.outcome(try await Self.run([scenario]), policy: "flash-builtin")
        #expect(!flash.connected)
        #expect(flash.after == .seconds(21))
    }

    /// With `reject` instead of `drop`, Akamai gives up at the first reset.
    @Test func akamaiGivesUpAtTheFirstReset() async throws {
        let scenario = try Self.scenario("""
            description: rejected
            client:
              url: rtmp://media.example.com/live
            firewall:
              - ports: [1935, 443]
                action: reject
            policies: [akamai, flash-builtin]
            """)
        let results = try await Self.run([scenario])
        let akamai = try Self.outcome(results, policy: "akamai")
        #expect(!akamai.connected)
        #expect(akamai.after < .milliseconds(100))
        let flash = try Self.outcome(results, policy: "flash-builtin")
        #expect(flash.connected && flash.winner == "rtmp:80" && flash.after < .seconds(1))
    }

    /// Any number of workers gives byte-identical report files, and a seed gives the same results twice.
    @Test func sameBytesForAnyJobs() async throws {
        let scenario = try Self.scenario("""
            description: lossy and jittery, repeated
            seed: 42
            repeat: 4
            client:
              url: rtmp://media.example.com/live
            network:
              latency: 80ms
              jitter: 30ms
              loss: 5%
            firewall:
              - port: 443
                action: reject
            policies: [flash-builtin, happy-eyeballs, ncmanager-flex]
            expect:
              - policy: "*"
                outcome: connected
            """)
        let output = try ReportOutput(formats: "csv,json,junit,md")
        var folders: [String] = []
        for jobs in [1, 3, 1] {
            let results = try await Self.run([scenario, scenario.renamed("second")], jobs: jobs)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-jobs-\(UUID().uuidString)").path
            try output.write(results, to: folder)
            folders.append(folder)
        }
        defer { for folder in folders { try? FileManager.default.removeItem(atPath: folder) } }
        for name in ["results.csv", "attempts.csv", "summary.json", "junit.xml", "summary.md"] {
            let first = try Data(contentsOf: URL(fileURLWithPath: folders[0] + "/" + name))
            #expect(!first.isEmpty)
            for other in folders.dropFirst() {
                #expect(try Data(contentsOf: URL(fileURLWithPath: other + "/" + name)) == first, "\(name)")
            }
        }
    }

    /// A run's results do not depend on what ran before it.
    @Test func runsAreIndependent() async throws {
        let lossy = try Self.scenario("""
            description: lossy
            client:
              url: rtmp://media.example.com/live
            network:
              loss: 10%
            policies: [happy-eyeballs]
            """)
        let other = try Self.scenario("""
            description: other
            client:
              url: rtmp://media.example.com/live
            firewall:
              - action: drop
            policies: [flash-builtin]
            """, file: "other.yaml")
        let alone = try Self.outcome(try await Self.run([lossy]), policy: "happy-eyeballs")
        let after = try Self.outcome(try await Self.run([other, lossy]), policy: "happy-eyeballs")
        #expect(alone.after == after.after)
        #expect(alone.winner == after.winner)
    }

    /// A broken claim fails the run (exit 1), is listed with what was expected and measured, and
    /// appears as a `<failure>` in the JUnit file.
    @Test func aBrokenExpectationFails() async throws {
        let scenario = try Self.scenario("""
            description: broken on purpose
            client:
              url: rtmp://media.example.com/live
            policies: [flash-builtin]
            expect:
              - policy: flash-builtin
                outcome: connected
                within: 50ms
            """, file: "broken.yaml")
        let results = try await Self.run([scenario])
        #expect(RunTally(results).exitCode == 1)
        #expect(RunTally(results).failures.map(\.description) == [
            "broken / flash-builtin #1: expected connected within 50 ms, measured connected via rtmp:1935 after 120 ms (broken.yaml:6)",
        ])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lab-junit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportOutput(formats: "junit,csv").write(results, to: folder)
        let junit = try String(contentsOfFile: folder + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<failure"))
        let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8)
        #expect(csv.contains(",fail,"))
    }

    /// `clients:` runs a herd: one record per client; the report gives each its repetition and client.
    @Test func aHerdGivesOneRecordPerClient() async throws {
        let scenario = try Self.scenario("""
            description: herd
            clients: 3
            repeat: 2
            client:
              url: rtmp://media.example.com/live
            policies: [flash-builtin]
            expect:
              - policy: "*"
                outcome: connected
            """)
        let results = try await Self.run([scenario], jobs: 2)
        #expect(results.records.map(\.label) == ["#1 client 1", "#1 client 2", "#1 client 3", "#2 client 1", "#2 client 2", "#2 client 3"])
        #expect(results.records.map(\.sample) == [1, 2, 3, 4, 5, 6])
        #expect(RunTally(results).exitCode == 0)
        let lines = results.records.map { ReportSink.line(of: $0, in: results.scenarios).line }
        #expect(lines.map(\.repetition) == [1, 1, 1, 2, 2, 2])
        #expect(lines.map(\.client) == [1, 2, 3, 1, 2, 3])
        #expect(lines.map(\.cost?.peakConnections) == [3, 3, 3, 3, 3, 3], "flash-builtin: one connection per client, all at once")
        // The three clients share one server: it accepted all three connections.
        let first = try results.records[0].measurement.get()
        #expect(first.timeline.serverCost.connectionsAccepted == 3)
    }

    /// `max-server-peak-connections` at N and N − 1: three flash-builtin clients open three
    /// connections at once, so a claim of 3 holds and a claim of 2 fails, in every client's row.
    @Test func peakConnectionClaimAtNAndNMinusOne() async throws {
        func verdicts(claim: Int) async throws -> [Bool] {
            let scenario = try Self.scenario("""
                description: peak
                clients: 3
                client:
                  url: rtmp://media.example.com/live
                policies: [flash-builtin]
                expect:
                  - policy: flash-builtin
                    max-server-peak-connections: \(claim)
                """)
            return try await Self.run([scenario]).records.flatMap { $0.verdicts.map(\.passed) }
        }
        #expect(try await verdicts(claim: 3) == [true, true, true])
        #expect(try await verdicts(claim: 2) == [false, false, false])
        let scenario = try Self.scenario("""
            description: peak
            clients: 3
            client:
              url: rtmp://media.example.com/live
            policies: [flash-builtin]
            expect:
              - policy: flash-builtin
                max-server-peak-connections: 2
            """)
        let failure = try #require(RunTally(try await Self.run([scenario])).failures.first)
        #expect(failure.expected == "connected with at most 2 connections open at the server at once")
        #expect(failure.measured == "connected via rtmp:1935 after 120 ms with 3 open at once")
    }

    /// The herd limit at N and N + 1: 100,000 clients load, 100,001 are refused with the place of the
    /// value and exit code 65's diagnostics (the fixture `Invalid/clients.yaml` checks the message).
    @Test func theHerdLimitAtNAndNPlusOne() throws {
        func text(_ clients: Int) -> String {
            "description: the cap\nclients: \(clients)\nclient:\n  url: rtmp://media.example.com/live\n"
        }
        #expect(try Self.scenario(text(100_000)).clients == 100_000)
        let error = try #require(throws: ScenarioDiagnostics.self) { try Self.scenario(text(100_001)) }
        #expect(error.description.hasPrefix("inline.yaml:2:10: clients 100001 is out of range; write a number from 1 to 100000"))
    }

    @Test func policyFilterAndOverrides() async throws {
        let scenario = try Self.scenario("""
            description: filter
            client:
              url: rtmp://media.example.com/live
            """)
        let planned = try LabRunner.plan([scenario], options: RunOptions(policies: ["akamai", "flowplayer"], repetitions: 2, seed: 9))
        #expect(planned.runCount == 4)
        #expect(planned.scenarios[0].policies.map(\.name) == ["akamai", "flowplayer"])
        #expect(planned.scenarios[0].seed == 9)
        #expect(throws: RunPlanError(description: "unknown policy 'flowplayr'; did you mean 'flowplayer'?")) {
            try LabRunner.plan([scenario], options: RunOptions(policies: ["flowplayr"]))
        }
    }
}

extension Scenario {
    func renamed(_ name: String) -> Scenario {
        var copy = self
        copy.name = name
        return copy
    }
}
