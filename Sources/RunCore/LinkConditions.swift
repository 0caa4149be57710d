/// The shaping of one direction of a path, in the terms netem and toxiproxy use. `LinkShaper` runs it,
/// on the simulator's virtual clock and on the live per-packet link alike.
package struct LinkConditions: Sendable, Equatable {
    /// How jitter is distributed around the latency.
    package enum JitterDistribution: Sendable, Equatable {
        /// netem's default and toxiproxy's: latency ± jitter, uniformly.
        case uniform
        /// netem `distribution normal`: jitter is the standard deviation.
        case normal
    }

    /// One-way propagation delay.
    package var latency: Duration
    package var jitter: Duration
    package var jitterDistribution: JitterDistribution
    /// Bits per second; `nil` is unlimited (no serialisation delay).
    package var bandwidth: Int?
    /// Probability in [0, 1] that a packet is lost.
    package var loss: Double
    /// Bursty loss in place of `loss`'s independent draws, when set.
    package var burstLoss: GilbertElliott?
    /// Most packets waiting for the transmitter; one more is dropped at the tail. `nil` is a queue
    /// without bound.
    package var queueLimit: Int?
    /// Whether jitter may reorder a connection's packets (netem's behaviour); by default a packet
    /// given a flow never arrives before the flow's previous one, as on a real path.
    package var reorder: Bool

    package init(
        latency: Duration = .zero, jitter: Duration = .zero, jitterDistribution: JitterDistribution = .uniform,
        bandwidth: Int? = nil, loss: Double = 0, burstLoss: GilbertElliott? = nil, queueLimit: Int? = nil,
        reorder: Bool = false
    ) {
        self.reorder = reorder
        self.latency = latency
        self.jitter = jitter
        self.jitterDistribution = jitterDistribution
        self.bandwidth = bandwidth
        self.loss = loss
        self.burstLoss = burstLoss
        self.queueLimit = queueLimit
    }

    /// A perfect wire: no delay, no loss.
    package static let ideal = LinkConditions()

    /// The Gilbert–Elliott loss model, in netem's terms (`loss gemodel p r 1-h 1-k`): the link is in a
    /// good or a bad state; before each packet it moves from good to bad with probability `p` and
    /// from bad to good with probability `r`, then loses the packet with the state's probability. Mean
    /// burst length is 1/r packets; the long-run loss rate is
    /// (p·lossBad + r·lossGood) / (p + r). It starts in the good state.
    package struct GilbertElliott: Sendable, Hashable {
        package var p: Double
        package var r: Double
        /// Loss probability in the bad state (netem's 1 − h).
        package var lossBad: Double
        /// Loss probability in the good state (netem's 1 − k).
        package var lossGood: Double

        package init(p: Double, r: Double, lossBad: Double = 1, lossGood: Double = 0) {
            self.p = p
            self.r = r
            self.lossBad = lossBad
            self.lossGood = lossGood
        }

        /// The long-run fraction of packets lost.
        package var meanLoss: Double { p + r > 0 ? (p * lossBad + r * lossGood) / (p + r) : lossGood }
    }
}
