import RTMP

/// What a server gives the RTMPT tunnel's pull loop on one connection (``runTunnel(from:)``): the
/// tunnel's next step, where its sessions' events go, and the connection itself. The simulated server
/// (one tunnel per port) and the live one (one tunnel for all its ports) implement only these.
package protocol ServerTunnelRuntime {
    /// The tunnel's next step on this connection; nil when there is no tunnel any more.
    func nextTunnelStep() -> RTMPTServerTunnel.Action?
    /// A client opened a tunnel session: start a server session for it.
    func tunnelSessionOpened(_ name: String)
    /// RTMP bytes for the tunnel session `name` (its replies are queued in the tunnel before the
    /// next step is asked for).
    func tunnelDelivered(_ bytes: [UInt8], to name: String)
    /// The client closed the tunnel session `name`.
    func tunnelSessionClosed(_ name: String)
    /// HTTP response bytes for this connection.
    func writeTunnelReply(_ bytes: [UInt8])
    /// The connection's HTTP is broken, or the loop ran past its bound: close the connection.
    func closeTunnelConnection()
}

extension ServerTunnelRuntime {
    /// Tunnel steps per read at most. Each step consumes a buffered request or answers one, and the
    /// tunnel bounds how many requests a connection may buffer, so a real client never reaches it;
    /// it keeps the loop bounded against a bug all the same.
    package static var maxTunnelStepsPerRead: Int { 10_000 }

    /// Runs the tunnel's pull loop for this connection, from the step `received(_:on:)` returned, as
    /// the RTMP module prescribes: each step is carried out before the next is asked for, so a reply
    /// never leaves before its session has reacted. Once for both servers (before issue 12 each had
    /// its loop, one bounded at 10,000 steps and closing, one at 100,000 and not).
    package func runTunnel(from first: RTMPTServerTunnel.Action) {
        var action = first
        for _ in 0..<Self.maxTunnelStepsPerRead {
            switch action {
            case .wait:
                return
            case .sessionOpened(let name):
                tunnelSessionOpened(name)
            case .deliver(let name, let bytes):
                tunnelDelivered(bytes, to: name)
            case .sessionClosed(let name):
                tunnelSessionClosed(name)
            case .write(let bytes):
                writeTunnelReply(bytes)
            case .closeConnection:
                closeTunnelConnection()
                return
            }
            guard let next = nextTunnelStep() else { return }
            action = next
        }
        closeTunnelConnection()
    }
}
