import RunCore

/// One direction of a path on the virtual clock: `RunCore.LinkShaper`'s serialisation, loss and
/// delay, with the simulator's time type.
///
/// A class, because one link can carry several paths (`SimNetwork.sharePath`: clients behind one
/// access link queue behind each other). Each link has its own random stream so that the draws of
/// one direction never shift those of the other. A TCP segment is given its connection as its flow,
/// so jitter does not reorder a connection unless the scenario asks for it (`network.reorder`), as on
/// the live per-packet link.
final class Link {
    private var shaper: LinkShaper

    var conditions: LinkConditions { shaper.conditions }

    init(conditions: LinkConditions, random: SimRandom) {
        shaper = LinkShaper(conditions: conditions, random: random)
    }

    /// When a packet of `size` bytes put on the link at `now` arrives, or `nil` if it is lost.
    func transmit(size: Int, flow: Int? = nil, at now: SimTime) -> SimTime? {
        switch shaper.transmit(size: size, flow: flow, at: now.nanoseconds) {
        case .arrives(let arrival): SimTime(nanoseconds: arrival)
        case .lost, .queueFull: nil
        }
    }
}
