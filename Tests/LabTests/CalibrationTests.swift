import Foundation
import Testing

@testable import Lab

/// The simulation against the real kernel: the shipped scenarios short enough to run live, simulated
/// and live on loopback with the same seed, must give the same outcome and winner and times within
/// max(15 ms, 10 %), plus the machine's measured CPU time per handshake (the model has none).
@Suite(
    "Calibration", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: CalibrationGate.requested, "set \(CalibrationGate.variable)=1 (scripts/test runs it on its own)"))
struct CalibrationTests {
    static func shipped(_ name: String) throws -> Scenario {
        let path = FixtureSupport.packageRoot.appendingPathComponent("Scenarios/\(name).yaml").path
        return try ScenarioLoader.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: "Scenarios/\(name).yaml")
    }

    static func calibrate(_ names: [String], maximumDuration: Duration) async throws -> Calibration {
        let scenarios = try names.map { try shipped($0) }
        let planned = try LabRunner.plan(scenarios, options: RunOptions(repetitions: 1, recordPackets: false))
        return await Calibration.run(planned, maximumDuration: maximumDuration, liveRepetitions: 5)
    }

    @Test(arguments: [
        "open-network", "port-1935-rejected", "ports-1935-443-rejected", "port-1935-dropped",
        "transparent-proxy-80-error", "transparent-proxy-80-hang", "explicit-port-80",
        "redirect-to-another-port",
    ])
    func shortScenariosAgreeLiveAndSimulated(name: String) async throws {
        let calibration = try await Self.calibrate([name], maximumDuration: .seconds(1))
        #expect(!calibration.rows.isEmpty)
        for row in calibration.rows {
            #expect(row.disagreement == nil, "\(row.scenario) / \(row.policy): \(row.disagreement ?? "")")
        }
        // The loopback baseline is the machine's CPU time, not a network delay.
        #expect(calibration.processingBaseline < .milliseconds(100))
    }

    @Test func longRunsAndUnreproducibleScenariosAreSkippedWithTheReason() async throws {
        let calibration = try await Self.calibrate(["everything-blocked", "lossy-mobile"], maximumDuration: .seconds(1))
        #expect(calibration.rows.isEmpty)
        let reasons = calibration.skipped.map(\.reason)
        #expect(reasons.contains { $0.contains("over the live limit of 1 s") })
        #expect(reasons.contains { $0.contains("packet loss is not applied on loopback") })
    }

    @Test func aRowDisagreesBeyondTheTolerance() {
        var row = CalibrationRow(
            scenario: "s", policy: "p", seed: 1,
            simulated: .init(connected: true, time: .milliseconds(200), winner: "rtmp:443"),
            live: .success(.init(connected: true, time: .milliseconds(220), winner: "rtmp:443", handshakes: 1)))
        #expect(row.tolerance == .milliseconds(20))
        #expect(row.agrees)                                    // 20 ms: at N
        row.live = .success(.init(connected: true, time: .microseconds(220_001), winner: "rtmp:443", handshakes: 1))
        #expect(!row.agrees)                                   // N + 1 µs
        row.processingBaseline = .milliseconds(5)
        #expect(row.agrees)                                    // one handshake's CPU time allowed
        row.live = .success(.init(connected: true, time: .milliseconds(210), winner: "rtmp:80", handshakes: 1))
        #expect(row.disagreement == "winner rtmp:80 live, rtmp:443 simulated")
        row.live = .success(.init(connected: false, time: .milliseconds(200), winner: nil))
        #expect(row.disagreement?.hasPrefix("outcome failed live") == true)
        row.simulated.time = .milliseconds(100)
        #expect(row.tolerance == .milliseconds(15))
    }
}
