import Testing
import RunCore

/// Both directions of the live per-packet link, without TUN devices: real IPv4/TCP headers in, what
/// to write to which side and when out.
@Suite struct PacketLinkTests {
    static let millisecond: Int64 = 1_000_000

    /// An IPv4 TCP packet from `source`:`sourcePort` to `destination`:`destinationPort` with
    /// `payload` bytes after its 20-byte TCP header; `marker` in the payload's first byte.
    static func tcp(
        from source: [UInt8], _ sourcePort: UInt16, to destination: [UInt8], _ destinationPort: UInt16,
        payload: Int = 0, marker: UInt8 = 0
    ) -> [UInt8] {
        let total = 40 + payload
        var packet: [UInt8] = [0x45, 0, UInt8(total >> 8), UInt8(total & 0xFF), 0, 0, 0x40, 0, 64, 6, 0, 0]
        packet += source + destination
        packet += [UInt8(sourcePort >> 8), UInt8(sourcePort & 0xFF), UInt8(destinationPort >> 8), UInt8(destinationPort & 0xFF)]
        packet += [UInt8](repeating: 0, count: 16)
        if payload > 0 { packet += [marker] + [UInt8](repeating: 0, count: payload - 1) }
        return packet
    }

    static let player: [UInt8] = [10, 77, 0, 2]
    static let server: [UInt8] = [10, 77, 1, 2]

    @Test func aPacketCrossesToTheOtherSideAfterTheLatency() {
        var link = PacketLink(
            up: LinkConditions(latency: .milliseconds(20)), down: LinkConditions(latency: .milliseconds(30)), seed: 1)
        let syn = Self.tcp(from: Self.player, 40_000, to: Self.server, 1935)
        #expect(link.received(syn, from: .player, at: 0) == .arrives(at: 20 * Self.millisecond))
        let synAck = Self.tcp(from: Self.server, 1935, to: Self.player, 40_000)
        #expect(link.received(synAck, from: .server, at: 5 * Self.millisecond) == .arrives(at: 35 * Self.millisecond))
        #expect(link.nextDeadline == 20 * Self.millisecond)
        #expect(link.due(at: 19 * Self.millisecond).isEmpty)
        #expect(link.due(at: 20 * Self.millisecond) == [.init(side: .server, packet: syn, sentAt: 0)])
        #expect(link.due(at: 40 * Self.millisecond) == [.init(side: .player, packet: synAck, sentAt: 5 * Self.millisecond)])
        #expect(link.nextDeadline == nil && link.inFlight == 0)
    }

    /// Both directions of one connection are one flow; another port is another flow.
    @Test func aConnectionIsOneFlowBothWays() {
        let up = Self.tcp(from: Self.player, 40_000, to: Self.server, 1935)
        let down = Self.tcp(from: Self.server, 1935, to: Self.player, 40_000)
        let other = Self.tcp(from: Self.player, 40_001, to: Self.server, 1935)
        #expect(PacketLink.flow(of: up) != nil)
        #expect(PacketLink.flow(of: up) == PacketLink.flow(of: down))
        #expect(PacketLink.flow(of: up) != PacketLink.flow(of: other))
        var udp = up
        udp[9] = 17
        #expect(PacketLink.flow(of: udp) == nil)
        #expect(PacketLink.flow(of: Array(up.prefix(22))) == nil, "too short for the ports")
    }

    /// ±40 ms of jitter, one segment a millisecond: a connection's segments come out in the order
    /// they went in, unless reordering is asked for.
    @Test func jitterDoesNotReorderAConnectionUnlessAsked() {
        func markers(reorder: Bool) -> [UInt8] {
            let conditions = LinkConditions(latency: .milliseconds(50), jitter: .milliseconds(40), reorder: reorder)
            var link = PacketLink(up: conditions, down: conditions, seed: 9)
            for index in 0..<100 {
                let segment = Self.tcp(from: Self.player, 40_000, to: Self.server, 1935, payload: 10, marker: UInt8(index))
                _ = link.received(segment, from: .player, at: Int64(index) * Self.millisecond)
            }
            return link.due(at: 1_000 * Self.millisecond).map { $0.packet[40] }
        }
        #expect(markers(reorder: false) == (0..<100).map { UInt8($0) })
        let reordered = markers(reorder: true)
        #expect(reordered.count == 100 && reordered != (0..<100).map { UInt8($0) })
    }

    /// A lost packet is reported (for the capture) and never delivered; the same seed loses the same
    /// packets.
    @Test func lostPacketsAreReportedAndTheSameSeedLosesTheSameOnes() {
        func lost(seed: UInt64) -> [Int] {
            var link = PacketLink(up: LinkConditions(latency: .milliseconds(20), loss: 0.1), down: .ideal, seed: seed)
            var lost: [Int] = []
            for index in 0..<200 {
                let segment = Self.tcp(from: Self.player, 40_000, to: Self.server, 1935, payload: 10, marker: UInt8(index))
                if link.received(segment, from: .player, at: Int64(index) * Self.millisecond) == .lost { lost.append(index) }
            }
            #expect(link.due(at: .max).count == 200 - lost.count)
            return lost
        }
        #expect(!lost(seed: 4).isEmpty)
        #expect(lost(seed: 4) == lost(seed: 4))
        #expect(lost(seed: 4) != lost(seed: 5))
    }
}
