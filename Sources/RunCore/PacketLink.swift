import HeapModule

/// The per-packet link between the player's network namespace and the server's, without I/O: IPv4
/// packets in, each with the instant it was read from its side's TUN device; out, which packets to
/// write to which side, and when.
///
/// Why: the kernel here has no `sch_netem` (docs/live-networks.md), so loss, jitter and bandwidth
/// cannot be asked of the kernel. As in mahimahi (ravinet/mahimahi), a process of ours carries every
/// packet from one TUN device to the other, and both ends stay the real kernel's TCP with its real
/// retransmissions. Unlike mahimahi's, this link's draws come from the run's seed (`SimRandom`), and
/// each direction is a `LinkShaper`, the model the simulator's links run, so a scenario's `network:`
/// keys mean the same live and simulated.
///
/// A runtime (a thread per run, holding both TUN descriptors) calls `received` for each packet it
/// reads, writes what `due` returns, and sleeps until `nextDeadline` or the next readable packet: the
/// link itself never waits or busy-loops. A TCP segment is given its connection as its flow, so jitter
/// does not reorder a connection (unless the conditions' `reorder` is set); other packets may be
/// reordered.
package struct PacketLink: Sendable {
    /// Where a packet comes from, or is written to.
    package enum Side: Sendable, Equatable {
        /// The player's namespace; its packets go up, towards the server.
        case player
        /// The server's namespace; its packets go down, towards the player.
        case server

        package var other: Side {
            switch self {
            case .player: .server
            case .server: .player
            }
        }
    }

    /// A packet to write to `side` now.
    package struct Delivery: Equatable, Sendable {
        package var side: Side
        package var packet: [UInt8]
        /// When it was read from the other side, for the capture.
        package var sentAt: Int64

        package init(side: Side, packet: [UInt8], sentAt: Int64) {
            self.side = side
            self.packet = packet
            self.sentAt = sentAt
        }
    }

    /// What the link did with one packet it was given, for the capture (a lost packet is marked).
    package typealias Verdict = LinkShaper.Verdict

    private struct Pending: Comparable, Sendable {
        let time: Int64
        let sequence: UInt64
        let delivery: Delivery

        static func < (lhs: Pending, rhs: Pending) -> Bool {
            lhs.time != rhs.time ? lhs.time < rhs.time : lhs.sequence < rhs.sequence
        }

        static func == (lhs: Pending, rhs: Pending) -> Bool {
            lhs.time == rhs.time && lhs.sequence == rhs.sequence
        }
    }

    private var up: LinkShaper
    private var down: LinkShaper
    private var pending = Heap<Pending>()
    private var nextSequence: UInt64 = 0

    /// - Parameters:
    ///   - up: the player → server direction; `down` the other.
    ///   - seed: the run's seed; each direction draws from a stream of its own.
    package init(up: LinkConditions, down: LinkConditions, seed: UInt64) {
        var random = SimRandom(seed: seed)
        self.up = LinkShaper(conditions: up, random: random.split())
        self.down = LinkShaper(conditions: down, random: random.split())
    }

    /// The packet `packet`, read from `side` at `now` (nanoseconds on the runtime's clock).
    package mutating func received(_ packet: [UInt8], from side: Side, at now: Int64) -> Verdict {
        let flow = Self.flow(of: packet)
        let verdict: Verdict
        switch side {
        case .player: verdict = up.transmit(size: packet.count, flow: flow, at: now)
        case .server: verdict = down.transmit(size: packet.count, flow: flow, at: now)
        }
        if case .arrives(let time) = verdict {
            pending.insert(Pending(
                time: time, sequence: nextSequence, delivery: Delivery(side: side.other, packet: packet, sentAt: now)))
            nextSequence &+= 1
        }
        return verdict
    }

    /// When the next packet is due, or `nil` when none is in flight.
    package var nextDeadline: Int64? { pending.min?.time }

    /// Packets in flight.
    package var inFlight: Int { pending.count }

    /// The packets due at `now`, in the order they arrive (time, then the order they were read).
    package mutating func due(at now: Int64) -> [Delivery] {
        var deliveries: [Delivery] = []
        while let next = pending.min, next.time <= now {
            deliveries.append(pending.removeMin().delivery)
        }
        return deliveries
    }

    /// A TCP segment's connection, the same for both directions (the two endpoints in a fixed order);
    /// `nil` for anything that is not a well-formed IPv4 TCP packet. Two flows may share a value; they
    /// then keep each other's order too, the same way on every run.
    package static func flow(of packet: [UInt8]) -> Int? {
        guard packet.count >= 20, packet[0] >> 4 == 4, packet[9] == 6 else { return nil }
        let headerLength = Int(packet[0] & 0x0F) * 4
        guard headerLength >= 20, packet.count >= headerLength + 4 else { return nil }
        func word(_ at: Int) -> UInt64 {
            UInt64(packet[at]) << 24 | UInt64(packet[at + 1]) << 16 | UInt64(packet[at + 2]) << 8 | UInt64(packet[at + 3])
        }
        let source = word(12) << 16 | UInt64(packet[headerLength]) << 8 | UInt64(packet[headerLength + 1])
        let destination = word(16) << 16 | UInt64(packet[headerLength + 2]) << 8 | UInt64(packet[headerLength + 3])
        return flow(source: source, destination: destination)
    }

    /// The flow of a connection between two endpoints, each its IPv4 address and port as
    /// `address << 16 | port`, the same for both directions: how the simulator names its segments'
    /// flows as this link names the kernel's.
    package static func flow(source: UInt64, destination: UInt64) -> Int {
        // A fixed mix (SplitMix64's finaliser), not `Hasher`: its per-process seed would make a
        // collision between two flows, however unlikely, differ from one run to the next.
        var mixed = min(source, destination) &* 0x9E37_79B9_7F4A_7C15 ^ max(source, destination)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }
}
