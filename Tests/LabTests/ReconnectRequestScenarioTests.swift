import Foundation
import Testing

@testable import Lab

/// The shipped reconnect-request scenario: switch time and media gap for a player that follows
/// Enhanced RTMP's reconnect request and for one that predates it, simulated and on loopback; the
/// keys that describe it and their refusals.
@Suite("Reconnect request", .serialized, .timeLimit(.minutes(5)))
struct ReconnectRequestScenarioTests {
    static let shipped = "reconnect-request"

    @Test func theCapablePlayerSwitchesWithoutAGapAndTheOtherLosesItsPicture() async throws {
        let planned = try LabRunner.plan([try LiveReportTests.shipped(Self.shipped)], options: RunOptions())
        let results = await LabRunner.run(planned)
        var switches: [String: Duration] = [:]
        var gaps: [String: Duration] = [:]
        for record in results.records {
            guard case .success(let measured) = record.measurement else {
                Issue.record("\(record.policy): \(record.measurement)")
                continue
            }
            #expect(!record.verdicts.contains { !$0.passed }, "\(record.verdicts)")
            switches[record.policy] = measured.timeline.reconnectSwitchTime
            gaps[record.policy] = measured.timeline.reconnectMediaGap
            #expect(measured.timeline.reconnectWinner.map { Transport($0.candidate).description } == "rtmp:443")
        }
        // Request at 2.4 s; the capable player's rtmp:443 plays 400 ms later while the old stream ran.
        #expect(switches["capable"] == .milliseconds(400))
        #expect(gaps["capable"] == .zero)
        // The other loses its stream at 5.4 s, retries 1935 (dropped now), 443 after the stagger.
        #expect(switches["incapable"] == .milliseconds(3_900))
        #expect(gaps["incapable"] == .milliseconds(900))

        let folder = LiveReportTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportOutput(formats: "csv").write(results, to: folder)
        let csv = try String(contentsOfFile: folder + "/results.csv", encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let header = csv[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let switchColumn = try #require(header.firstIndex(of: "reconnect_switch_ms"))
        let gapColumn = try #require(header.firstIndex(of: "reconnect_gap_ms"))
        #expect(rows.map { $0[switchColumn] } == ["400.000", "3900.000"])
        #expect(rows.map { $0[gapColumn] } == ["0.000", "900.000"])
        #expect(header.suffix(4) == ["reconnect_switch_ms", "reconnect_gap_ms", "reconnect_winner", "reconnect_failure"])
    }

    @Test func onLoopbackTheSwitchAndTheGapAreTheSimulations() async throws {
        let planned = try LabRunner.plan([try LiveReportTests.shipped(Self.shipped)], options: RunOptions())
        let simulated = await LabRunner.run(planned)
        let live = await LabRunner.runOnLiveNetwork(planned, network: .loopback, bound: .seconds(30), capture: false) { _ in }
        for (sim, real) in zip(simulated.records, live.records) {
            let expected = try #require(try? sim.measurement.get())
            guard case .success(let measured) = real.measurement else {
                Issue.record("\(real.policy): \(real.measurement)")
                continue
            }
            let simSwitch = try #require(expected.timeline.reconnectSwitchTime)
            let liveSwitch = try #require(measured.timeline.reconnectSwitchTime, "\(real.policy)")
            let difference = liveSwitch > simSwitch ? liveSwitch - simSwitch : simSwitch - liveSwitch
            // The calibration bound, max(15 ms, 10 %), plus the machine's time for the new handshakes.
            #expect(difference <= max(.milliseconds(40), simSwitch / 10), "\(real.policy): live \(liveSwitch), simulated \(simSwitch)")
            #expect(measured.timeline.reconnectWinner?.candidate == expected.timeline.reconnectWinner?.candidate)
        }
    }

    static func diagnostics(_ server: String, client: String = "  play: stream\n") -> [String] {
        let text = """
            name: r
            description: r
            client:
              url: rtmp://media.example.com/live
            \(client)server:
            \(server)policies: [flowplayer]
            """
        do {
            let scenario = try ScenarioLoader.parse(Array(text.utf8), file: "r.yaml")
            return scenario.warnings.map { "warning: \($0.description)" }
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func theKeysAndTheirRefusals() {
        #expect(Self.diagnostics("  reconnect-request:\n    tc-url: /live\n").first?.contains("reconnect-request has no after") == true)
        #expect(Self.diagnostics("  reconnect-request:\n    after: 1s\n    tc-url: ftp://x/y\n").first?.contains("is not a URL to reconnect to") == true)
        #expect(Self.diagnostics("  reconnect-request:\n    after: 1s\n", client: "").first?.contains("warning:") == true)
        #expect(Self.diagnostics("  reconnect-request:\n    after: 1s\n    tc-url: //edge.example.com/live\n").isEmpty)
    }
}
