/// One direction of a path, packet by packet, without I/O or a clock: given a packet's size and the
/// instant it is put on the link, the instant it arrives at the other end, or that it is lost.
///
/// Why it lives here: a scenario's `network:` keys (latency, jitter and its distribution, loss,
/// bandwidth) must mean the same on every network. The simulator's links (`NetSim.Link`) run this
/// model on the virtual clock; the live per-packet link between two network namespaces (issue 15)
/// runs the same model on the kernel's packets, with its own seed, so both draw loss and jitter the
/// same way and queue at the bandwidth the same way.
///
/// The model, in the order a packet meets it:
/// 1. **The queue** (only when `conditions.queueLimit` is set): a packet that finds `queueLimit`
///    packets still waiting for the transmitter is dropped at the tail, as a router's drop-tail queue
///    does. It takes no transmitter time and no random draw.
/// 2. **Serialisation** at `bandwidth`: the transmitter is busy `size × 8 / bandwidth` seconds per
///    packet, so back-to-back packets leave one after another like at a real bottleneck.
/// 3. **Loss**, one Bernoulli draw per packet; or, with `burstLoss`, a Gilbert–Elliott draw: one
///    draw for the state's transition, one for the loss (a lost packet has still used the
///    transmitter: it was sent and lost downstream).
/// 4. **Delay**: latency plus jitter, uniform (netem's and toxiproxy's default: latency ± jitter) or
///    normal (jitter is the standard deviation), never below zero.
/// 5. **Order** (for a packet given a `flow`, unless `conditions.reorder`): it does not arrive before
///    the previous packet of its flow did, so jitter does not reorder a TCP connection's segments.
///    Without a flow, or with `reorder`, jitter may reorder, as netem's does. Without jitter nothing
///    can overtake (delay is constant, departures in order), so no flow is tracked then.
///
/// Every draw comes from the shaper's own `SimRandom`, in this order, so the same seed and the same
/// packets give the same verdicts.
package struct LinkShaper: Sendable {
    /// What becomes of one packet.
    package enum Verdict: Equatable, Sendable {
        /// It arrives at this instant (nanoseconds on the caller's clock).
        case arrives(at: Int64)
        /// Lost on the way, after its serialisation.
        case lost
        /// Dropped at the tail of a full queue.
        case queueFull
    }

    package let conditions: LinkConditions
    private var random: SimRandom
    /// When the transmitter is free again.
    private var busyUntil: Int64 = 0
    /// When each packet still in the queue leaves the transmitter, oldest first (`queueLimit` only).
    private var departures: [Int64] = []
    private var departuresHead = 0
    /// The latest arrival of each flow given one, for in-order delivery.
    private var lastArrival: [Int: Int64] = [:]
    /// The Gilbert–Elliott state (`burstLoss` only): in the bad state.
    private var inBurst = false

    package init(conditions: LinkConditions, random: SimRandom) {
        self.conditions = conditions
        self.random = random
    }

    /// Packets waiting for the transmitter at `now` (those that have not yet left it).
    package mutating func queued(at now: Int64) -> Int {
        while departuresHead < departures.count, departures[departuresHead] <= now { departuresHead += 1 }
        if departuresHead > 1_024, departuresHead * 2 > departures.count {
            departures.removeFirst(departuresHead)
            departuresHead = 0
        }
        return departures.count - departuresHead
    }

    /// The fate of a packet of `size` bytes put on the link at `now` (nanoseconds).
    /// - Parameter flow: the packet's flow (a TCP connection's id or a hash of its four-tuple) when
    ///   it must not overtake the flow's earlier packets; `nil` lets jitter reorder it.
    package mutating func transmit(size: Int, flow: Int? = nil, at now: Int64) -> Verdict {
        if let limit = conditions.queueLimit, queued(at: now) >= limit {
            return .queueFull
        }
        var departure = max(now, busyUntil)
        if let bandwidth = conditions.bandwidth, bandwidth > 0 {
            let nanos = Int64((Double(size * 8) / Double(bandwidth) * 1_000_000_000).rounded(.up))
            departure = departure &+ nanos
            busyUntil = departure
        }
        if conditions.queueLimit != nil { departures.append(departure) }
        if let burst = conditions.burstLoss {
            inBurst = random.nextUnit() < (inBurst ? 1 - burst.r : burst.p)
            if random.nextUnit() < (inBurst ? burst.lossBad : burst.lossGood) { return .lost }
        } else if conditions.loss > 0, random.nextUnit() < conditions.loss {
            return .lost
        }
        var arrival = departure &+ delay()
        if let flow, !conditions.reorder, conditions.jitter > .zero {
            if let previous = lastArrival[flow], previous > arrival { arrival = previous }
            lastArrival[flow] = arrival
        }
        return .arrives(at: arrival)
    }

    /// Forgets a flow's last arrival (the connection has ended), so the table holds live flows only.
    package mutating func forget(flow: Int) {
        lastArrival[flow] = nil
    }

    private mutating func delay() -> Int64 {
        let latency = conditions.latency.nanosecondsClamped
        let jitter = conditions.jitter.nanosecondsClamped
        guard jitter > 0 else { return latency }
        let offset: Double
        switch conditions.jitterDistribution {
        case .uniform:
            offset = (random.nextUnit() * 2 - 1) * Double(jitter)
        case .normal:
            offset = random.nextStandardNormal() * Double(jitter)
        }
        return max(0, latency + Int64(offset.rounded()))
    }
}
