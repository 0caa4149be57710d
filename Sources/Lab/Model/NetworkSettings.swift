/// The link between client and server (and proxy), each direction alike.
package struct NetworkSettings: Sendable, Hashable {
    /// One way, each direction.
    package var latency: Duration
    /// Uniformly distributed extra delay up to this much, per packet.
    package var jitter: Duration
    /// Bits per second; `nil` is unlimited.
    package var bandwidth: UInt64?
    /// Probability in 0...1 that a packet is lost (SYNs included, which is what makes mobile links slow
    /// to connect).
    package var loss: Double

    package init(latency: Duration = NetworkSettings.defaultLatency, jitter: Duration = .zero,
                bandwidth: UInt64? = nil, loss: Double = 0) {
        self.latency = latency
        self.jitter = jitter
        self.bandwidth = bandwidth
        self.loss = loss
    }

    /// The seed thread's condition (a nearby server, 40 ms round trip) so a file that only describes a
    /// firewall reproduces it.
    package static let defaultLatency: Duration = .milliseconds(20)
}
