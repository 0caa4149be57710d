/// What a live run's player needs from the network it runs on: the server (for its statistics),
/// where a connection to a scenario port goes, and when the run's clock starts (time windows count
/// from there). `LoopbackNetwork` and `NamespaceNetwork` are the two.
protocol LiveNetwork: AnyObject, Sendable {
    var server: LiveServer { get }
    /// The port on 127.0.0.1 an attempt to scenario port `port`, opened at `time`, connects to.
    func target(for port: UInt16, at time: Duration) -> Int
    /// The player started its connector at `origin`.
    func started(at origin: ContinuousClock.Instant)
    /// Why the network stopped doing what the scenario says during the run (a rule change that
    /// failed), if it did; the run is then an error rather than a measurement of something else.
    func failure() -> String?
    func shutdown() async
}
