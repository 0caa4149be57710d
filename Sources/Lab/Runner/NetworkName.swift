/// The networks a scenario runs on, by the names `--network` takes and reports write.
package enum NetworkName: String, Sendable, CaseIterable {
    /// The simulated network on a virtual clock (the default).
    case sim
    /// Real sockets on 127.0.0.1 in this process.
    case loopback
    /// A private network namespace per run, its firewall in nftables.
    case netns
}
