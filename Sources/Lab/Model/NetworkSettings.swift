import RunCore

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
    /// How losses are spread over packets (`network.loss-model`).
    package var lossModel: LossModel
    /// `network.queue`: packets that may wait for the transmitter when `bandwidth` is set; one more
    /// is dropped at the tail.
    package var queue: Int = NetworkSettings.defaultQueue
    /// `network.jitter-distribution`: uniform (latency ± jitter, netem's and toxiproxy's default) or
    /// normal (jitter is the standard deviation, netem's `distribution normal`).
    package var jitterDistribution: LinkConditions.JitterDistribution = .uniform
    /// `network.reorder`: whether jitter may reorder a connection's packets (netem does; a real path
    /// mostly does not).
    package var reorder = false

    /// 1000 packets: Linux's default transmit queue (`txqueuelen`) and netem's default `limit`.
    package static let defaultQueue = 1000

    /// `network.loss-model`.
    package enum LossModel: Sendable, Hashable {
        /// Each packet is lost independently with probability `loss` (netem's `loss random`).
        case bernoulli
        /// Losses in bursts, in netem's `loss gemodel p r 1-h 1-k` terms; replaces `loss`. The link
        /// model's own value, so the simulator and the report read the same parameters.
        case gilbertElliott(LinkConditions.GilbertElliott)
    }

    package init(latency: Duration = NetworkSettings.defaultLatency, jitter: Duration = .zero,
                bandwidth: UInt64? = nil, loss: Double = 0, lossModel: LossModel = .bernoulli) {
        self.latency = latency
        self.jitter = jitter
        self.bandwidth = bandwidth
        self.loss = loss
        self.lossModel = lossModel
    }

    /// Whether runs differ by their draws (jitter or loss): such a scenario is compared with the live
    /// network as distributions over many runs, not run by run.
    package var isStochastic: Bool { jitter > .zero || meanLoss > 0 }

    /// The long-run fraction of packets lost, whichever the model.
    package var meanLoss: Double {
        switch lossModel {
        case .bernoulli: loss
        case .gilbertElliott(let model): model.meanLoss
        }
    }

    /// The seed thread's condition (a nearby server, 40 ms round trip) so a file that only describes a
    /// firewall reproduces it.
    package static let defaultLatency: Duration = .milliseconds(20)
}
