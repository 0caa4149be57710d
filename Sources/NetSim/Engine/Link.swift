import RunCore

/// One direction of a path on the virtual clock: `RunCore.LinkShaper`'s serialisation, loss and
/// delay, with the simulator's time type.
///
/// A class, because one link can carry several paths (`SimNetwork.sharePath`: clients behind one
/// access link queue behind each other). Each link has its own random stream so that the draws of
/// one direction never shift those of the other. Segments are given no flow: the simulator lets
/// jitter reorder them, as it always has, and its TCP reassembles them.
final class Link {
    private var shaper: LinkShaper

    var conditions: LinkConditions { shaper.conditions }

    init(conditions: LinkConditions, random: SimRandom) {
        shaper = LinkShaper(conditions: conditions, random: random)
    }

    /// When a packet of `size` bytes put on the link at `now` arrives, or `nil` if it is lost.
    func transmit(size: Int, at now: SimTime) -> SimTime? {
        switch shaper.transmit(size: size, at: now.nanoseconds) {
        case .arrives(let arrival): SimTime(nanoseconds: arrival)
        case .lost, .queueFull: nil
        }
    }
}
