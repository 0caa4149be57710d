import NIOCore
import NIOSSL
import RTMP
import RunCore

/// One accepted TCP connection of the live server: sniffs the first bytes, then runs RTMP on it or
/// feeds it to the server's RTMPT tunnel (through RunCore's tunnel loop, `runTunnel(from:)`), or,
/// on a TLS ClientHello, terminates TLS and sniffs again inside it (RTMP inside TLS is RTMPS).
///
/// The sniffing is what lets one port serve several protocols, as the design's `ports: {80: [rtmp,
/// rtmpt]}` asks: the client always speaks first (C0, a ClientHello or an HTTP request line).
/// TLS is a layer below this handler, not a state of it: NIOSSL's handler goes in front of it in
/// the pipeline, and everything after (the session, the tunnel, their writes through the channel)
/// is the plaintext path unchanged, so RTMPS runs the very session RTMP runs.
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
    /// Whether TLS was terminated in front of this handler: the bytes it sees are the plaintext,
    /// and a second ClientHello inside TLS is refused.
    private var insideTLS = false
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
        // A failed TLS handshake (a client that does not trust the certificate says so with an
        // alert) is worth a line in the log; a reset by the peer or a write to a closed socket is
        // not. The connection is over either way.
        if error is NIOSSLError || error is BoringSSLError {
            server.emit(connection, .protocolError("TLS: \(error)"))
        }
        context.close(promise: nil)
    }

    /// What this connection may speak now: every port answers RTMP and RTMPT, and TLS when the
    /// server has a certificate; inside TLS, RTMP and RTMPT again, but not TLS twice.
    private var offered: [ServedProtocol] {
        insideTLS || server.tls == nil ? [.rtmp, .rtmpt] : [.rtmp, .rtmpt, .rtmps]
    }

    private func sniff(_ bytes: [UInt8], context: ChannelHandlerContext) {
        switch ServedProtocol.sniff(bytes[...], offered: offered) {
        case .needMoreBytes:
            state = .sniffing(bytes)
        case .serve(.rtmp):
            // Inside TLS the connection was announced as rtmps already.
            if !insideTLS { server.emit(connection, .detected(.rtmp)) }
            let session = plainSession(context: context)
            state = .rtmp(session)
            session.received(bytes[...])
        case .serve(.rtmpt):
            if !insideTLS { server.emit(connection, .detected(.rtmpt)) }
            state = .rtmpt
            runTunnel(from: server.tunnel.received(bytes[...], on: connection))
        case .serve(.rtmps):
            startTLS(with: bytes, context: context)
        case .refuse(let reason):
            server.emit(connection, .unsupported(reason))
            state = .done
            context.close(promise: nil)
        }
    }

    /// Puts NIOSSL's server handler in front of this one and hands it the bytes read so far (the
    /// ClientHello, or its start); what it decrypts comes back to `channelRead` to be sniffed again.
    ///
    /// The bytes go in from the pipeline's head synchronously, within this read: a later read of
    /// the same socket already passes through the TLS handler, so the ClientHello must reach it
    /// first.
    private func startTLS(with bytes: [UInt8], context: ChannelHandlerContext) {
        guard let tls = server.tls else {
            preconditionFailure("ServerConnectionHandler: sniffed rtmps on a server without a certificate, which does not offer it")
        }
        server.emit(connection, .detected(.rtmps))
        insideTLS = true
        state = .sniffing([])
        do {
            try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .before(self))
        } catch {
            server.emit(connection, .protocolError("TLS: \(error)"))
            state = .done
            context.close(promise: nil)
            return
        }
        context.pipeline.syncOperations.fireChannelRead(NIOAny(context.channel.allocator.buffer(bytes: bytes)))
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
            server: server, connection: connection, via: insideTLS ? .rtmps : .rtmp, seed: server.seed(for: connection),
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
