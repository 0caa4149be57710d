import NIOCore
import NIOPosix

/// An in-process middlebox on a loopback port: the latency relay, the transparent HTTP proxy of an
/// `http-only` rule, or a blackhole (see `RelayMode`).
///
/// The kernel completes the client's TCP handshake with the relay at once, as it does with a real
/// intercepting proxy; the relay then decides what the bytes meet. Everything runs on the event loop
/// it is started on, so its connections need no locks.
final class LoopbackRelay: Sendable {
    let port: Int
    private let listener: any Channel
    private let connections: NIOLoopBound<RelayConnections>

    private init(port: Int, listener: any Channel, connections: NIOLoopBound<RelayConnections>) {
        self.port = port
        self.listener = listener
        self.connections = connections
    }

    /// Listens on `host` (127.0.0.1, or every address where redirected connections arrive from the
    /// per-packet link's device), an ephemeral port.
    static func start(mode: RelayMode, host: String = "127.0.0.1", on loop: any EventLoop) async throws(LiveRunError) -> LoopbackRelay {
        let connections: NIOLoopBound<RelayConnections>
        do {
            connections = try await loop.submit { NIOLoopBound(RelayConnections(), eventLoop: loop) }.get()
        } catch {
            throw .network("the event loop is shut down")
        }
        let bootstrap = ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    connections.value.opened(channel)
                    try channel.pipeline.syncOperations.addHandler(RelayClientHandler(mode: mode))
                }
            }
        do {
            let listener = try await bootstrap.bind(host: host, port: 0).get()
            guard let port = listener.localAddress?.port else {
                try? await listener.close()
                throw LiveRunError.network("the relay's listener has no port")
            }
            return LoopbackRelay(port: port, listener: listener, connections: connections)
        } catch let error as LiveRunError {
            throw error
        } catch {
            throw .network("relay bind: \(error)")
        }
    }

    /// Stops listening and closes every connection it accepted.
    func shutdown() async {
        try? await listener.close()
        let connections = self.connections
        try? await listener.eventLoop.submit { connections.value.closeAll() }.get()
    }
}
