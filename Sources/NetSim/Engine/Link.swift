/// One direction of a path: serialisation at the link's bandwidth, then latency with jitter, or loss.
///
/// The link keeps the instant its transmitter is busy until, so back-to-back packets queue behind one
/// another at the bandwidth like a real bottleneck. Each link has its own random stream so that the
/// draws of one direction never shift those of the other.
final class Link {
    let conditions: LinkConditions
    private var random: SimRandom
    private var busyUntil: SimTime = .zero

    init(conditions: LinkConditions, random: SimRandom) {
        self.conditions = conditions
        self.random = random
    }

    /// When a packet of `size` bytes put on the link at `now` arrives, or `nil` if it is lost.
    ///
    /// A lost packet still takes its serialisation time: it was sent and lost downstream.
    func transmit(size: Int, at now: SimTime) -> SimTime? {
        var departure = max(now, busyUntil)
        if let bandwidth = conditions.bandwidth, bandwidth > 0 {
            let nanos = Int64((Double(size * 8) / Double(bandwidth) * 1_000_000_000).rounded(.up))
            departure = departure + .nanoseconds(nanos)
            busyUntil = departure
        }
        if conditions.loss > 0, random.nextUnit() < conditions.loss {
            return nil
        }
        return departure + delay()
    }

    private func delay() -> Duration {
        let latency = conditions.latency.nanosecondsClamped
        let jitter = conditions.jitter.nanosecondsClamped
        guard jitter > 0 else { return .nanoseconds(latency) }
        let offset: Double
        switch conditions.jitterDistribution {
        case .uniform:
            offset = (random.nextUnit() * 2 - 1) * Double(jitter)
        case .normal:
            offset = random.nextStandardNormal() * Double(jitter)
        }
        return .nanoseconds(max(0, latency + Int64(offset.rounded())))
    }
}
