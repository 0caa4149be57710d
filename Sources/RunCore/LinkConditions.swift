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
    /// Most packets waiting for the transmitter; one more is dropped at the tail. `nil` is a queue
    /// without bound, which is what the simulator has always modelled.
    package var queueLimit: Int?

    package init(
        latency: Duration = .zero, jitter: Duration = .zero, jitterDistribution: JitterDistribution = .uniform,
        bandwidth: Int? = nil, loss: Double = 0, queueLimit: Int? = nil
    ) {
        self.latency = latency
        self.jitter = jitter
        self.jitterDistribution = jitterDistribution
        self.bandwidth = bandwidth
        self.loss = loss
        self.queueLimit = queueLimit
    }

    /// A perfect wire: no delay, no loss.
    package static let ideal = LinkConditions()
}
