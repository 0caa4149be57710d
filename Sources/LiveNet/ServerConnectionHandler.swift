import NIOCore
import RTMP
import RunCore

/// One accepted TCP connection of the live server: sniffs the first bytes, then runs RTMP on it or
/// feeds it to the server's RTMPT tunnel (through RunCore's tunnel loop, `runTunnel(from:)`).
///
/// The sniffing is what lets one port serve several protocols, as the design's `ports: {80: [rtmp,
/// rtmpt]}` asks: the client always speaks first (C0 or an HTTP request line).
final class ServerConnectionHandler: ChannelInboundHandler, ServerTunnelRuntime {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Nothing decisive read yet; the bytes so far.
        case sniffing([UInt8])
        /// Plain RTMP over this TCP connection.
        case rtmp(LiveServerSession)
        /// HTTP requests for the server's RTMPT tunnel.
        case rtmpt
        /// Closed, or refused after sniffing.
        case done
    }

    private let server: LiveServerState
    private var connection = 0
    private var state: State = .sniffing([])
    private var channel: (any Channel)?
    /// The end of the inactivity timeout for the handshake; cancelled when the connection closes.
    private var deadline: Scheduled<Void>?

    init(server: LiveServerState) {
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        connection = server.accepted(context.channel)
        channel = context.channel
        let remote = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        server.emit(connection, .accepted(remote: remote, localPort: context.localAddress?.port ?? 0))
        if let limit = server.configuration.inactivityTimeout {
            let channel = context.channel
            deadline = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(limit)) { [self] in
                self.handshakeDeadline(channel: channel)
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch state {
        case .sniffing(let earlier):
            sniff(earlier + bytes, context: context)
        case .rtmp(let session):
            session.received(bytes[...])
        case .rtmpt:
            runTunnel(from: server.tunnel.received(bytes[...], on: connection))
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        switch state {
        case .rtmp(let session):
            session.transportClosed()
        case .rtmpt:
            // Tunnel sessions outlive the connection; only its buffered requests go.
            server.tunnel.connectionClosed(connection)
        case .sniffing, .done:
            break
        }
        state = .done
        server.closed(connection)
        server.emit(connection, .closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset by the peer or a write to a closed socket: the connection is over either way.
        context.close(promise: nil)
    }

    /// Every port of the live server answers RTMP and RTMPT (it speaks no TLS yet).
    private static let offered: [ServedProtocol] = [.rtmp, .rtmpt]

    private func sniff(_ bytes: [UInt8], context: ChannelHandlerContext) {
        switch ServedProtocol.sniff(bytes[...], offered: Self.offered) {
        case .needMoreBytes:
            state = .sniffing(bytes)
        case .serve(.rtmp):
            server.emit(connection, .detected(.rtmp))
            let session = plainSession(context: context)
            state = .rtmp(session)
            session.received(bytes[...])
        case .serve(.rtmpt):
            server.emit(connection, .detected(.rtmpt))
            state = .rtmpt
            runTunnel(from: server.tunnel.received(bytes[...], on: connection))
        case .serve(.rtmps):
            preconditionFailure("ServerConnectionHandler: sniffed rtmps, which it does not offer")
        case .refuse(let reason):
            server.emit(connection, .unsupported(reason))
            state = .done
            context.close(promise: nil)
        }
    }

    /// A connection still sniffing, or on plain RTMP without a finished handshake, when the
    /// inactivity timeout ends is closed (a stalled or slow-loris client). HTTP connections are
    /// bounded by the tunnel's limits and session sweep instead.
    private func handshakeDeadline(channel: any Channel) {
        switch state {
        case .sniffing:
            server.emit(connection, .protocolError("no protocol named within the inactivity timeout"))
            state = .done
            channel.close(promise: nil)
        case .rtmp:
            guard !server.completedHandshake(connection) else { return }
            server.emit(connection, .protocolError("handshake not finished within the inactivity timeout"))
            channel.close(promise: nil)
        case .rtmpt, .done:
            break
        }
    }

    // MARK: ServerTunnelRuntime

    func nextTunnelStep() -> RTMPTServerTunnel.Action? {
        server.tunnel.next(on: connection)
    }

    func tunnelSessionOpened(_ id: String) {
        server.emit(connection, .tunnelOpened(session: id))
        guard let loop = channel?.eventLoop else { return }
        server.tunnelSessions[id] = tunnelSession(session: id, eventLoop: loop.assumeIsolated())
    }

    func tunnelDelivered(_ bytes: [UInt8], to id: String) {
        server.tunnelSessions[id]?.received(bytes[...])
    }

    func tunnelSessionClosed(_ id: String) {
        server.tunnelSessions.removeValue(forKey: id)?.transportClosed()
    }

    func writeTunnelReply(_ bytes: [UInt8]) {
        guard let channel else { return }
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
    }

    func closeTunnelConnection() {
        channel?.close(promise: nil)
    }

    // MARK: Sessions

    private func plainSession(context: ChannelHandlerContext) -> LiveServerSession {
        let channel = context.channel
        return LiveServerSession(
            server: server, connection: connection, via: .rtmp, seed: server.seed(for: connection),
            eventLoop: context.eventLoop.assumeIsolated(),
            output: { bytes in channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil) },
            close: { channel.close(promise: nil) })
    }

    /// A server session inside the tunnel: its bytes wait in the tunnel for the client's next poll,
    /// and closing it lets the tunnel tell the client (polling byte 0) rather than dropping a socket.
    private func tunnelSession(session id: String, eventLoop: NIOIsolatedEventLoop) -> LiveServerSession {
        LiveServerSession(
            server: server, connection: connection, via: .rtmpt, seed: server.seed(for: connection),
            eventLoop: eventLoop,
            output: { [weak server] bytes in server?.tunnel.enqueue(session: id, bytes: bytes) },
            close: { [weak server] in server?.tunnel.closeSession(id) })
    }
}
