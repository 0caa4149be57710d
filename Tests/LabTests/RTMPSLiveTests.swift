import Foundation
import Testing

@testable import Lab

/// An rtmps candidate on a live network does real TLS with the scenario's server (which makes its
/// own certificate, trusted by the run's player alone), and the simulated TLS model agrees with it
/// on the time to connect at 40 ms one way.
@Suite("RTMPS in live scenario runs", .serialized, .timeLimit(.minutes(5)))
struct RTMPSLiveTests {
    static let text = """
        name: rtmps-443
        description: the rtmps candidate alone, and after the URL's 1935, which is reset
        client:
          url: rtmp://media.example.com/live
        server:
          ports:
            443: [rtmp, rtmps]
        network:
          latency: 40ms
        firewall:
          - port: 1935
            action: reject
        policies:
          - name: rtmps-only
            mode: sequential
            candidates: [rtmps:443]
          - name: url-then-rtmps
            mode: sequential
            candidates: [url, rtmps:443]

        """

    @Test func anRTMPSCandidateConnectsLiveWithRealTLSAsTheSimulationSays() async throws {
        let scenario = try ScenarioLoader.parse(Array(Self.text.utf8), file: "rtmps.yaml")
        #expect(scenario.live.tlsPorts == [443])
        let planned = try LabRunner.plan([scenario], options: RunOptions())
        let calibration = await Calibration.run(planned, liveRepetitions: 3)
        #expect(calibration.rows.count == 2)
        for (row, live) in calibration.measuredRows() {
            #expect(live.connected && live.winner == "rtmps:443", "\(row.policy): \(live)")
            #expect(row.simulated.connected && row.simulated.winner == "rtmps:443", "\(row.policy): \(row.simulated)")
            #expect(row.agrees, "\(row.policy): simulated \(row.simulated.time), live \(live.time): \(row.disagreement ?? "")")
        }
    }
}
