import Foundation
import LiveNet
import Testing

import Lab

/// `calibrate --network netns`: the same comparison as the loopback calibration, the live side in a
/// private namespace per run with the kernel's nftables doing the drops and resets. Timing-tight, so
/// gated like the loopback calibration (and on root with unshare, ip and nft).
@Suite(
    "Calibration in network namespaces", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: CalibrationGate.requested, "set \(CalibrationGate.variable)=1 (scripts/test runs it on its own)"),
    .enabled(if: NetnsGate.available, "needs root and unshare, ip, nft (NetnsGate)"))
struct NetnsCalibrationTests {
    @Test(arguments: ["port-1935-rejected", "port-1935-dropped", "transparent-proxy-80-error", "redirect-to-another-port"])
    func shortScenariosAgreeInANamespace(name: String) async throws {
        let path = FixtureSupport.packageRoot.appendingPathComponent("Scenarios/\(name).yaml").path
        let planned = try LabRunner.plan(
            [try ScenarioLoader.load(path: path)], options: RunOptions(repetitions: 1, recordPackets: false))
        let host = try #require(NamespaceLauncher.currentNamespace())
        let calibration = await Calibration.run(
            planned, maximumDuration: .seconds(1), liveRepetitions: 3,
            network: .netns(NamespaceLauncher(executable: InterruptTests.executable.path), hostNamespace: host))
        #expect(!calibration.rows.isEmpty)
        for row in calibration.rows {
            #expect(row.disagreement == nil, "\(row.scenario) / \(row.policy): \(row.disagreement ?? "")")
        }
    }
}
