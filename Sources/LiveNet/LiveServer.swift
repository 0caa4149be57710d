import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fake RTMP/RTMPT server on real sockets: any number of ports, each answering both protocols, and
/// RTMPS when the configuration has a TLS identity.
///
/// Every connection is sniffed: `0x03` runs an `RTMPServerSession` directly on the TCP bytes, an HTTP
/// method runs the RTMPT server tunnel with one server session per tunnel session, a TLS ClientHello
/// (`0x16 0x03`) is terminated and its plaintext sniffed again. All sockets live on
/// one event loop, so the tunnel sessions (which a client may spread over several HTTP connections)
/// are shared without locks.
///
/// ```swift
/// let server = try await LiveServer.start(.init(listen: [ListenAddress(host: "127.0.0.1", port: 0)])) { event in
///     print(event)
/// }
/// print(server.addresses)   // the real ports
/// await server.shutdown()
/// ```
package final class LiveServer: Sendable {
    /// The addresses actually bound, in the order given (port 0 replaced by the kernel's choice).
    package let addresses: [ListenAddress]
    /// The certificate RTMPS is served with, if any: what a client of this server is to trust.
    package let tls: TLSIdentity?
    private let channels: [any Channel]
    private let state: NIOLoopBound<LiveServerState>
    private let eventLoop: any EventLoop
    /// The tunnel's inactivity sweep, cancelled at shutdown.
    private let sweep: RepeatedTask?

    private init(
        addresses: [ListenAddress], tls: TLSIdentity?, channels: [any Channel], state: NIOLoopBound<LiveServerState>,
        eventLoop: any EventLoop, sweep: RepeatedTask?
    ) {
        self.sweep = sweep
        self.tls = tls
        self.addresses = addresses
        self.channels = channels
        self.state = state
        self.eventLoop = eventLoop
    }

    /// The bound ports, in the order of `addresses`.
    package var ports: [Int] { addresses.map(\.port) }

    /// Binds every address of `configuration` and starts answering. If any bind fails, the ones that
    /// succeeded are closed again and the failure names the address.
    package static func start(
        _ configuration: LiveServerConfiguration,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        observer: @escaping @Sendable (ServerEvent) -> Void = { _ in }
    ) async throws(LiveServerError) -> LiveServer {
        guard !configuration.listen.isEmpty else { throw .noAddresses }
        let tls: NIOSSLContext?
        do {
            tls = try configuration.tls?.serverContext()
        } catch {
            throw .tls("\(error)")
        }
        let eventLoop = group.next()
        let state: NIOLoopBound<LiveServerState>
        do {
            state = try await eventLoop.submit {
                NIOLoopBound(LiveServerState(configuration: configuration, tls: tls, observer: observer), eventLoop: eventLoop)
            }.get()
        } catch {
            throw .bindFailed(configuration.listen[0], "the event loop is shut down")
        }

        let bootstrap = ServerBootstrap(group: eventLoop, childGroup: eventLoop)
            // A herd after an outage arrives at once: with a short accept queue the kernel drops the
            // handshake ACKs of the overflow, the clients believe they are connected and are reset
            // seconds later. 4,096 is Linux's default somaxconn (the kernel caps it there anyway).
            .serverChannelOption(.backlog, value: 4_096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ServerConnectionHandler(server: state.value)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }

        var channels: [any Channel] = []
        var bound: [ListenAddress] = []
        for address in configuration.listen {
            do {
                let channel = try await bootstrap.bind(host: address.host, port: address.port).get()
                channels.append(channel)
                bound.append(ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port))
            } catch {
                for channel in channels { try? await channel.close() }
                throw Self.bindError(error, address: address)
            }
        }
        var sweep: RepeatedTask?
        if let limit = configuration.inactivityTimeout {
            let period = TimeAmount(limit)
            sweep = eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
                state.value.sweepTunnel()
            }
        }
        return LiveServer(
            addresses: bound, tls: configuration.tls, channels: channels, state: state, eventLoop: eventLoop, sweep: sweep)
    }

    /// Counts so far: connections accepted, handshakes completed, connects answered.
    package func statistics() async -> LiveServerStatistics {
        let state = self.state
        return (try? await eventLoop.submit { state.value.statistics }.get()) ?? LiveServerStatistics()
    }

    /// Stops listening and closes every open connection; returns when all are closed. Safe to call twice.
    package func shutdown() async {
        sweep?.cancel()
        for channel in channels { try? await channel.close() }
        let state = self.state
        let closing = try? await eventLoop.submit { state.value.closeAll() }.get()
        _ = try? await closing?.get()
    }

    /// Maps what the socket layer threw into an error that names the address.
    static func bindError(_ error: any Error, address: ListenAddress) -> LiveServerError {
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case EADDRINUSE: return .portInUse(address)
            case EACCES, EPERM: return .permissionDenied(address)
            case EADDRNOTAVAIL: return .addressNotAvailable(address)
            default: return .bindFailed(address, "\(ioError)")
            }
        }
        if error is SocketAddressError { return .unresolvableHost(address) }
        return .bindFailed(address, "\(error)")
    }
}
