import Testing
import RunCore

/// The per-packet link model both networks run: serialisation at the bandwidth, seeded loss, delay
/// with jitter, a drop-tail queue and in-order delivery per flow.
@Suite struct LinkShaperTests {
    static let millisecond: Int64 = 1_000_000

    static func arrivals(_ verdicts: [LinkShaper.Verdict]) -> [Int64] {
        verdicts.compactMap { if case .arrives(let at) = $0 { at } else { nil } }
    }

    /// A handshake packet (C0+C1 is 1,537 bytes of payload; 40 of headers) on a 256 kbit/s link takes
    /// 1,577 × 8 / 256,000 s = 49.28 ms to serialise, and the next waits behind it.
    @Test func theBandwidthPacesBackToBackPackets() {
        var shaper = LinkShaper(
            conditions: LinkConditions(latency: .milliseconds(20), bandwidth: 256_000), random: SimRandom(seed: 1))
        let first = shaper.transmit(size: 1_577, at: 0)
        let second = shaper.transmit(size: 1_577, at: 0)
        let serialisation: Int64 = 49_281_250
        #expect(first == .arrives(at: serialisation + 20 * Self.millisecond))
        #expect(second == .arrives(at: 2 * serialisation + 20 * Self.millisecond))
        // An idle transmitter starts at once again.
        #expect(shaper.transmit(size: 40, at: 1_000 * Self.millisecond)
            == .arrives(at: 1_000 * Self.millisecond + 1_250_000 + 20 * Self.millisecond))
    }

    @Test func theSameSeedGivesTheSameVerdicts() {
        let conditions = LinkConditions(
            latency: .milliseconds(80), jitter: .milliseconds(30), jitterDistribution: .normal,
            bandwidth: 2_000_000, loss: 0.05)
        func run(_ seed: UInt64) -> [LinkShaper.Verdict] {
            var shaper = LinkShaper(conditions: conditions, random: SimRandom(seed: seed))
            return (0..<500).map { shaper.transmit(size: 40 + $0 % 1_460, at: Int64($0) * Self.millisecond) }
        }
        #expect(run(7) == run(7))
        #expect(run(7) != run(8))
    }

    /// 2 % loss over 100,000 packets: within 0.2 points of 2 % (the seed fixes the count; a binomial's
    /// standard deviation here is 0.044 points).
    @Test func lossIsBernoulliAtTheGivenRate() {
        var shaper = LinkShaper(conditions: LinkConditions(latency: .milliseconds(20), loss: 0.02), random: SimRandom(seed: 3))
        let lost = (0..<100_000).count { shaper.transmit(size: 100, at: Int64($0) * 1_000) == .lost }
        #expect(abs(Double(lost) / 100_000 - 0.02) < 0.002, "lost \(lost)")
    }

    /// A 1 Mbit/s link with room for three packets: of five 1,500-byte packets sent at once, the
    /// fourth and fifth are dropped at the tail; once the first has left, there is room again.
    @Test func aFullQueueDropsAtTheTail() {
        var shaper = LinkShaper(
            conditions: LinkConditions(bandwidth: 1_000_000, queueLimit: 3), random: SimRandom(seed: 1))
        let burst = (0..<5).map { _ in shaper.transmit(size: 1_500, at: 0) }
        #expect(Self.arrivals(burst) == [12, 24, 36].map { $0 * Self.millisecond })
        #expect(burst[3] == .queueFull && burst[4] == .queueFull)
        #expect(shaper.queued(at: 12 * Self.millisecond) == 2)
        #expect(shaper.transmit(size: 1_500, at: 12 * Self.millisecond) == .arrives(at: 48 * Self.millisecond))
        // Without a limit the queue takes everything, as the simulator always modelled.
        var unbounded = LinkShaper(conditions: LinkConditions(bandwidth: 1_000_000), random: SimRandom(seed: 1))
        #expect(Self.arrivals((0..<5).map { _ in unbounded.transmit(size: 1_500, at: 0) }).count == 5)
    }

    /// ±40 ms of jitter on packets 1 ms apart: without a flow they overtake each other (as netem's
    /// jitter does), with one they arrive in the order sent, each no earlier than its own delay.
    @Test func aFlowsPacketsArriveInOrderUnderJitter() {
        let conditions = LinkConditions(latency: .milliseconds(50), jitter: .milliseconds(40))
        var free = LinkShaper(conditions: conditions, random: SimRandom(seed: 11))
        var ordered = LinkShaper(conditions: conditions, random: SimRandom(seed: 11))
        let sent = (0..<200).map { Int64($0) * Self.millisecond }
        let reordered = Self.arrivals(sent.map { free.transmit(size: 100, at: $0) })
        let inOrder = Self.arrivals(sent.map { ordered.transmit(size: 100, flow: 1, at: $0) })
        #expect(zip(reordered, reordered.dropFirst()).contains { $0 > $1 })
        #expect(zip(inOrder, inOrder.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(zip(inOrder, reordered).allSatisfy { $0 >= $1 }, "holding a packet back only delays it")
        #expect(zip(inOrder, sent).allSatisfy { $0 - $1 >= 10 * Self.millisecond && $0 - $1 <= 90 * Self.millisecond })
    }

    /// Normal jitter larger than the latency never makes a packet arrive before it was sent.
    @Test func delayIsNeverNegative() {
        var shaper = LinkShaper(
            conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(50), jitterDistribution: .normal),
            random: SimRandom(seed: 5))
        let sent = (0..<1_000).map { Int64($0) * Self.millisecond }
        let arrivals = Self.arrivals(sent.map { shaper.transmit(size: 100, at: $0) })
        #expect(arrivals.count == 1_000)
        #expect(zip(arrivals, sent).allSatisfy { $0 >= $1 })
        #expect(zip(arrivals, sent).contains { $0 == $1 }, "a draw below −latency is clamped to no delay")
    }
}
