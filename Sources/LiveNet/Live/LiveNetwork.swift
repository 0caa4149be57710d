import NIOCore

/// What a live run's player needs from the network it runs on: the server (for its statistics),
/// where a connection to a scenario port goes, and when the run's clock starts (time windows count
/// from there). `LoopbackNetwork` and `NamespaceNetwork` are the two.
protocol LiveNetwork: AnyObject, Sendable {
    var server: LiveServer { get }
    /// The address the player connects to: 127.0.0.1, or the server's end of the per-packet link.
    var host: String { get }
    /// Whether packets between player and server cross the scenario's latency on their own (the
    /// per-packet link), so that a TCP handshake's round trip is already in what the socket reports.
    var carriesLatency: Bool { get }
    /// Where the player's sockets must be made: an event loop whose thread is in the player's
    /// namespace; nil when any loop will do.
    var playerLoop: (any EventLoop)? { get }
    /// The port on `host` an attempt to scenario port `port`, opened at `time`, connects to.
    func target(for port: UInt16, at time: Duration) -> Int
    /// The player started its connector at `origin`.
    func started(at origin: ContinuousClock.Instant)
    /// Why the network stopped doing what the scenario says during the run (a rule change that
    /// failed), if it did; the run is then an error rather than a measurement of something else.
    func failure() -> String?
    func shutdown() async
}
