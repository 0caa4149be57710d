/// Which live network a `LiveRun` builds.
package enum LiveNetworkKind: Sendable, Hashable {
    /// Ephemeral ports on 127.0.0.1, no privileges (`LoopbackNetwork`).
    case loopback
    /// The scenario's real ports and nftables rules in the private network namespace this process
    /// runs in (`NamespaceNetwork`). `hostNamespace` is the inode of the namespace the run was
    /// launched from (`NamespaceLauncher.currentNamespace()`): the run refuses to set up anything
    /// when it finds itself still in that one, so the host's firewall is never touched.
    case privateNamespace(hostNamespace: UInt64)
}
