/// The shaping of one direction of a path, in the terms netem and toxiproxy use.
public struct LinkConditions: Sendable, Equatable {
    /// How jitter is distributed around the latency.
    public enum JitterDistribution: Sendable, Equatable {
        /// netem's default and toxiproxy's: latency ± jitter, uniformly.
        case uniform
        /// netem `distribution normal`: jitter is the standard deviation.
        case normal
    }

    /// One-way propagation delay.
    public var latency: Duration
    public var jitter: Duration
    public var jitterDistribution: JitterDistribution
    /// Bits per second; `nil` is unlimited (no serialisation delay).
    public var bandwidth: Int?
    /// Probability in [0, 1] that a packet is lost.
    public var loss: Double

    public init(
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
    public static let ideal = LinkConditions()
}
