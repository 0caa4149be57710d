/// The link between client and server (and proxy), each direction alike.
public struct NetworkSettings: Sendable, Hashable {
    /// One way, each direction.
    public var latency: Duration
    /// Uniformly distributed extra delay up to this much, per packet.
    public var jitter: Duration
    /// Bits per second; `nil` is unlimited.
    public var bandwidth: UInt64?
    /// Probability in 0...1 that a packet is lost (SYNs included, which is what makes mobile links slow
    /// to connect).
    public var loss: Double

    public init(latency: Duration = NetworkSettings.defaultLatency, jitter: Duration = .zero,
                bandwidth: UInt64? = nil, loss: Double = 0) {
        self.latency = latency
        self.jitter = jitter
        self.bandwidth = bandwidth
        self.loss = loss
    }

    /// The seed thread's condition (a nearby server, 40 ms round trip) so a file that only describes a
    /// firewall reproduces it.
    public static let defaultLatency: Duration = .milliseconds(20)
}
