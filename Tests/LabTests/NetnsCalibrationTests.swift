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

    /// Issue 15's bar: a lossy scenario's live median time to connect within 15 % of the simulated
    /// one, over 20 runs a side across the per-packet link (3 % loss, 25 ms jitter, 750 kbit/s).
    @Test("lossy-mobile over the per-packet link: live medians within 15 % of the simulated ones")
    func lossyScenarioMediansAgree() async throws {
        let path = FixtureSupport.packageRoot.appendingPathComponent("Scenarios/lossy-mobile.yaml").path
        let planned = try LabRunner.plan(
            [try ScenarioLoader.load(path: path)],
            options: RunOptions(policies: ["flash-builtin", "happy-eyeballs"], repetitions: 1, recordPackets: false))
        let host = try #require(NamespaceLauncher.currentNamespace())
        let calibration = await Calibration.run(
            planned, maximumDuration: .seconds(5),
            network: .netns(NamespaceLauncher(executable: InterruptTests.executable.path), hostNamespace: host),
            distributionRepetitions: 20)
        #expect(calibration.rows.isEmpty)
        #expect(calibration.distributions.count == 2)
        for row in calibration.distributions {
            let difference = try #require(row.medianDifference, "\(row.policy): \(row.note ?? "")")
            #expect(abs(difference) <= 0.15, "\(row.policy): simulated \(row.simulatedMedian) ms, live \(row.liveMedian ?? 0) ms")
            #expect(row.liveConnected == 20, "\(row.policy)")
            #expect(row.verdict != .disagree, "\(row.policy): \(row.note ?? "")")
        }
    }
}
