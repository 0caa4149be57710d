import NIOCore
import NIOSSL
import RTMP
import RunCore

/// What all connections of one live server share: configuration, observer, counters, open channels,
/// and the RTMPT tunnel with the server sessions inside it.
///
/// Confined to the server's single event loop (reached through `NIOLoopBound`), so it needs no lock.
/// The tunnel is shared because a tunnel session outlives the HTTP connection that opened it: a
/// client may carry on over a new keep-alive connection, even on another of the server's ports.
final class LiveServerState {
    let configuration: LiveServerConfiguration
    let observer: @Sendable (ServerEvent) -> Void
    /// The TLS context every RTMPS connection is terminated with, made once from the configuration's
    /// identity (BoringSSL parses the key and chain then, not per connection); nil: no TLS served.
    let tls: NIOSSLContext?
    private(set) var statistics = LiveServerStatistics()
    private var nextConnection = 1
    private var open: [Int: any Channel] = [:]
    /// Open connections whose RTMP handshake completed (plain RTMP or inside a tunnel).
    private var handshaken: Set<Int> = []
    /// The RTMPT server tunnel of every connection that spoke HTTP.
    var tunnel: RTMPTServerTunnel
    /// One server session per open tunnel session, by tunnel session id.
    var tunnelSessions: [String: LiveServerSession] = [:]

    init(
        configuration: LiveServerConfiguration, tls: NIOSSLContext?, observer: @escaping @Sendable (ServerEvent) -> Void
    ) {
        self.configuration = configuration
        self.tls = tls
        self.observer = observer
        self.tunnel = RTMPTServerTunnel(seed: configuration.seed)
    }

    /// Registers an accepted channel; returns its connection number.
    func accepted(_ channel: any Channel) -> Int {
        let connection = nextConnection
        nextConnection += 1
        open[connection] = channel
        statistics.connectionsAccepted += 1
        return connection
    }

    func closed(_ connection: Int) {
        open.removeValue(forKey: connection)
        handshaken.remove(connection)
    }

    /// Whether `connection` finished an RTMP handshake.
    func completedHandshake(_ connection: Int) -> Bool {
        handshaken.contains(connection)
    }

    /// Drops the tunnel sessions no request named for a whole inactivity period and ends their
    /// server sessions; returns how many went.
    @discardableResult
    func sweepTunnel() -> Int {
        let dropped = tunnel.sweepInactiveSessions()
        for id in dropped {
            tunnelSessions.removeValue(forKey: id)?.transportClosed()
        }
        return dropped.count
    }

    /// A publisher's audio or video message: counted, not logged (there are many per second).
    func receivedMedia(bytes: Int) {
        statistics.mediaMessagesReceived += 1
        statistics.mediaBytesReceived += bytes
    }

    func emit(_ connection: Int, _ kind: ServerEvent.Kind) {
        switch kind {
        case .handshakeCompleted:
            statistics.handshakesCompleted += 1
            handshaken.insert(connection)
        case .connect: statistics.connectsReceived += 1
        case .accepted, .detected, .unsupported, .tunnelOpened, .answered, .protocolError, .closed: break
        }
        observer(ServerEvent(connection: connection, kind: kind))
    }

    /// The seed of connection `n`'s handshake randomness, derived as the simulated server derives
    /// its sessions' (RunSeeds.session).
    func seed(for connection: Int) -> UInt64 {
        RunSeeds.session(configuration.seed, UInt64(truncatingIfNeeded: connection))
    }

    /// Closes every open connection and ends every tunnel session; the future completes when all
    /// connections are closed.
    func closeAll() -> EventLoopFuture<Void>? {
        for driver in tunnelSessions.values { driver.transportClosed() }
        tunnelSessions.removeAll()
        let channels = Array(open.values)
        guard let first = channels.first else { return nil }
        let closes = channels.map { channel in channel.close().recover { _ in } }
        return EventLoopFuture.andAllComplete(closes, on: first.eventLoop)
    }
}
