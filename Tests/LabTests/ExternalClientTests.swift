import Connector
import Testing

@testable import Lab

/// `client.command` in the Lab: validated where it is written, named `external:<program>` in
/// `expect` and in reports, run as one more row on the loopback network, skipped with a note on the
/// simulated one. The commands here are the system's `sh`, so no RTMP client has to be installed
/// (rtmpdump and ffmpeg themselves are exercised in the interop tests).
@Suite("External client rows", .serialized, .timeLimit(.minutes(5)))
struct ExternalClientTests {
    static func scenario(command: String, expect: String = "", timeout: String = "3s") throws -> Scenario {
        try ScenarioLoader.parse(Array(text(command: command, expect: expect, timeout: timeout).utf8), file: "external.yaml")
    }

    static func text(command: String, expect: String = "", timeout: String = "3s") -> String {
        """
            name: external
            description: an external client beside a policy
            client:
              url: rtmp://media.example.com/live
              command: \(command)
              timeout: \(timeout)
            firewall:
              - port: 1935
                action: reject
            policies: [flowplayer]
            expect:
              - policy: flowplayer
                outcome: connected
            \(expect)
            """
    }

    static func diagnostics(command: String, expect: String = "") -> [String] {
        do {
            _ = try ScenarioLoader.parse(Array(text(command: command, expect: expect).utf8), file: "external.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func expectationsNameTheClientByItsProgram() throws {
        let loaded = try Self.scenario(
            command: "\"/bin/sh -c 'exit 3' sh {url}\"",
            expect: "  - policy: external:sh\n    outcome: failed\n    within: 2s")
        #expect(loaded.client.externalClientName == "external:sh")
        #expect(loaded.expectations.map(\.policy) == [.named("flowplayer"), .named("external:sh")])
        #expect(Self.diagnostics(command: "\"rtmpdump -r {url}\"", expect: "  - policy: external:ffmpeg\n    outcome: failed")
            .first?.contains("unknown policy 'external:ffmpeg'") == true)
    }

    @Test func aBadlyQuotedCommandIsReportedWhereItIsWritten() {
        #expect(Self.diagnostics(command: "\"rtmpdump -r {url} 'open\"") == [
            "external.yaml:5:12: client.command has an unterminated ' quote; quote with '…' or \"…\" and close every quote; there is no shell, so write the program and its arguments only",
        ])
    }

    @Test func theSimulatedNetworkSkipsTheCommandWithANote() async throws {
        let loaded = try Self.scenario(
            command: "\"sh -c 'exit 3' sh {url}\"", expect: "  - policy: external:sh\n    outcome: connected")
        let results = await LabRunner.run(try LabRunner.plan([loaded], options: RunOptions(jobs: 1)))
        #expect(results.records.map(\.policy) == ["flowplayer"])
        #expect(RunTally(results).exitCode == 0)
        #expect(results.notes.count == 1)
        #expect(results.notes.first?.contains("external:sh (client.command) runs on live networks only") == true)
    }

    @Test func theLoopbackNetworkRunsItAsOneMoreRow() async throws {
        // sh exits 3 at once without connecting: the row fails at its exit, and only its own claim is
        // checked against it.
        let loaded = try Self.scenario(
            command: "\"sh -c 'exit 3' sh {url}\"", expect: "  - policy: external:sh\n    outcome: failed\n    within: 2s")
        let planned = try LabRunner.plan([loaded], options: RunOptions(jobs: 1))
        #expect(planned.liveRunsPerScenario == [2])
        let results = await LabRunner.runOnLiveNetwork(planned, network: .loopback, bound: .seconds(20), capture: false) { _ in }
        #expect(results.records.map(\.policy) == ["flowplayer", "external:sh"])
        #expect(results.records.map(\.network) == [.loopback, .loopback])
        #expect(results.records.map { ReportSink.line(of: $0, in: results.scenarios).line.network } == ["loopback", "loopback"])
        #expect(RunTally(results).errors == [])
        let external = try #require(results.records.last)
        let measured = try external.measurement.get()
        #expect(measured.timeline.outcome == .failed)
        #expect(try #require(measured.timeline.finishedAt) < .seconds(2))
        #expect(external.verdicts.count == 1)
        #expect(external.verdicts.allSatisfy { $0.passed })
        #expect(external.external?.process.termination == .exited(code: 3))
        #expect(RunTally(results).exitCode == 0)
        #expect(results.externalClientSummaries.first?.contains("exit status 3") == true)
    }

    @Test func aMissingProgramIsARunErrorThatSaysSo() async throws {
        let loaded = try Self.scenario(command: "\"rtmpdump-not-installed -r {url}\"")
        let planned = try LabRunner.plan([loaded], options: RunOptions(policies: ["external:rtmpdump-not-installed"], jobs: 1))
        let results = await LabRunner.runOnLiveNetwork(planned, network: .loopback, bound: .seconds(20), capture: false) { _ in }
        #expect(RunTally(results).errors == [
            "external / external:rtmpdump-not-installed #1: client.command: program 'rtmpdump-not-installed' not found in PATH",
        ])
        #expect(RunTally(results).exitCode == 1)
    }
}
