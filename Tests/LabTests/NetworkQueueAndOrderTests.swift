import Foundation
import RunCore
import Testing

@testable import Lab

/// `network.queue` and `network.reorder`: the drop-tail queue behind `bandwidth` (1000 packets unless
/// set) and whether jitter may reorder a connection (not unless asked), given alike to the simulated
/// links and to the live per-packet link.
@Suite struct NetworkQueueAndOrderTests {
    static func parse(_ network: String) throws -> Scenario {
        try ScenarioLoader.parse(Array(LossModelTests.text(network).utf8), file: "bursty.yaml")
    }

    @Test func theQueueDefaultsToLinuxsAndAppliesOnlyBehindABandwidth() throws {
        let narrow = try Self.parse("  bandwidth: 1mbit")
        #expect(narrow.network.queue == 1000)
        #expect(narrow.simulated.uplink.queueLimit == 1000)
        #expect(narrow.live.link.queueLimit == 1000)
        let unlimited = try Self.parse("  latency: 20ms")
        #expect(unlimited.simulated.uplink.queueLimit == nil)
        let set = try Self.parse("  bandwidth: 1mbit\n  queue: 30")
        #expect(set.simulated.downlink.queueLimit == 30)
        #expect(set.warnings.isEmpty)
    }

    @Test func aQueueWithoutABandwidthIsAWarningAndABadOneAnError() throws {
        let lonely = try Self.parse("  queue: 30")
        #expect(lonely.warnings.map(\.description).contains { $0.contains("network.queue is not used") })
        #expect(LossModelTests.diagnostics("  bandwidth: 1mbit\n  queue: 0").contains { $0.contains("network.queue") })
        #expect(LossModelTests.diagnostics("  bandwidth: 1mbit\n  queue: many").contains { $0.contains("network.queue") })
    }

    @Test func connectionsStayInOrderUnlessReorderingIsAsked() throws {
        let ordered = try Self.parse("  jitter: 20ms")
        #expect(ordered.network.reorder == false)
        #expect(ordered.simulated.uplink.reorder == false)
        let reordering = try Self.parse("  jitter: 20ms\n  reorder: true")
        #expect(reordering.simulated.uplink.reorder)
        #expect(reordering.live.link.reorder)
        #expect(LossModelTests.diagnostics("  reorder: sometimes").contains { $0.contains("network.reorder must be true or false") })
    }

    @Test func jitterIsUniformUnlessNormalIsAsked() throws {
        #expect(try Self.parse("  jitter: 20ms").simulated.uplink.jitterDistribution == .uniform)
        let normal = try Self.parse("  jitter: 20ms\n  jitter-distribution: normal")
        #expect(normal.simulated.uplink.jitterDistribution == .normal)
        #expect(normal.live.link.jitterDistribution == .normal)
        #expect(normal.network.summary == "20 ms one way, jitter 20 ms (normal)")
        #expect(LossModelTests.diagnostics("  jitter-distribution: pareto").contains { $0.contains("network.jitter-distribution") })
    }

    /// The model itself: ±40 ms of jitter on a connection's segments a millisecond apart.
    @Test func inOrderDeliveryHoldsBackWhatWouldOvertake() {
        func arrivals(reorder: Bool) -> [Int64] {
            var shaper = LinkShaper(
                conditions: LinkConditions(latency: .milliseconds(50), jitter: .milliseconds(40), reorder: reorder),
                random: SimRandom(seed: 3))
            return (0..<50).map { index in
                guard case .arrives(let time) = shaper.transmit(size: 100, flow: 7, at: Int64(index) * 1_000_000) else { return -1 }
                return time
            }
        }
        let ordered = arrivals(reorder: false)
        #expect(ordered == ordered.sorted())
        let reordered = arrivals(reorder: true)
        #expect(reordered != reordered.sorted())
    }
}
