/// The shaping of one direction of a path, in the terms netem and toxiproxy use.
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

    package init(
        latency: Duration = .zero, jitter: Duration = .zero, jitterDistribution: JitterDistribution = .uniform,
        bandwidth: Int? = nil, loss: Double = 0
    ) {
        self.latency = latency
        self.jitter = jitter
        self.jitterDistribution = jitterDistribution
        self.bandwidth = bandwidth
        self.loss = loss
    }

    /// A perfect wire: no delay, no loss.
    package static let ideal = LinkConditions()
}
