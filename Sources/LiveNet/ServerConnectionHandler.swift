import NIOCore
import RTMP

/// One accepted TCP connection of the live server: sniffs the first bytes, then runs RTMP on it or
/// feeds it to the server's RTMPT tunnel.
///
/// The sniffing is what lets one port serve several protocols, as the design's `ports: {80: [rtmp,
/// rtmpt]}` asks: the client always speaks first (C0 or an HTTP request line).
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Tunnel steps per read at most. Each step consumes a buffered request or answers one, and the
    /// tunnel bounds how many requests a connection may buffer, so this is never reached by a real
    /// client; it keeps the loop bounded against a bug all the same.
    static let maxTunnelStepsPerRead = 10_000

    private enum State {
        /// Nothing decisive read yet; the bytes so far.
        case sniffing([UInt8])
        /// Plain RTMP over this TCP connection.
        case rtmp(ServerSessionDriver)
        /// HTTP requests for the server's RTMPT tunnel.
        case rtmpt
        /// Closed, or refused after sniffing.
        case done
    }

    private let server: LiveServerState
    private var connection = 0
    private var state: State = .sniffing([])
    /// The end of the inactivity timeout for the handshake; cancelled when the connection closes.
    private var deadline: Scheduled<Void>?

    init(server: LiveServerState) {
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        connection = server.accepted(context.channel)
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
        case .rtmp(let driver):
            driver.received(bytes[...])
        case .rtmpt:
            runTunnel(server.tunnel.received(bytes[...], on: connection), context: context)
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        switch state {
        case .rtmp(let driver):
            driver.transportClosed()
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

    private func sniff(_ bytes: [UInt8], context: ChannelHandlerContext) {
        switch PortSniffer.sniff(bytes[...]) {
        case .needMoreBytes:
            state = .sniffing(bytes)
        case .rtmp:
            server.emit(connection, .detected(.rtmp))
            let driver = plainDriver(context: context)
            state = .rtmp(driver)
            driver.start()
            driver.received(bytes[...])
        case .http:
            server.emit(connection, .detected(.rtmpt))
            state = .rtmpt
            runTunnel(server.tunnel.received(bytes[...], on: connection), context: context)
        case .rtmpe(let version):
            refuse("RTMPE (C0 0x\(String(version, radix: 16))) is not served", context: context)
        case .tls:
            refuse("TLS (RTMPS) is not served", context: context)
        case .unknown:
            refuse("first byte 0x\(String(bytes[0], radix: 16)) is neither RTMP nor HTTP", context: context)
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

    private func refuse(_ reason: String, context: ChannelHandlerContext) {
        server.emit(connection, .unsupported(reason))
        state = .done
        context.close(promise: nil)
    }

    /// Executes tunnel steps until the tunnel needs more bytes from this connection.
    private func runTunnel(_ first: RTMPTServerTunnel.Action, context: ChannelHandlerContext) {
        var action = first
        for _ in 0..<Self.maxTunnelStepsPerRead {
            switch action {
            case .needMore:
                return
            case .sessionOpened(let id):
                server.emit(connection, .tunnelOpened(session: id))
                let driver = tunnelDriver(session: id, context: context)
                server.tunnelSessions[id] = driver
                driver.start()
            case .deliver(let id, let bytes):
                server.tunnelSessions[id]?.received(bytes[...])
            case .sessionClosed(let id):
                server.tunnelSessions.removeValue(forKey: id)?.transportClosed()
            case .write(let http):
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: http)), promise: nil)
            case .closeConnection:
                context.close(promise: nil)
                return
            }
            action = server.tunnel.next(on: connection)
        }
        context.close(promise: nil)
    }

    private func plainDriver(context: ChannelHandlerContext) -> ServerSessionDriver {
        let channel = context.channel
        return ServerSessionDriver(
            server: server, connection: connection, via: .rtmp, seed: server.seed(for: connection),
            eventLoop: context.eventLoop.assumeIsolated(),
            output: { bytes in channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil) },
            close: { channel.close(promise: nil) })
    }

    /// A server session inside the tunnel: its bytes wait in the tunnel for the client's next poll,
    /// and closing it lets the tunnel tell the client (polling byte 0) rather than dropping a socket.
    private func tunnelDriver(session id: String, context: ChannelHandlerContext) -> ServerSessionDriver {
        ServerSessionDriver(
            server: server, connection: connection, via: .rtmpt, seed: server.seed(for: connection),
            eventLoop: context.eventLoop.assumeIsolated(),
            output: { [weak server] bytes in server?.tunnel.enqueue(session: id, bytes: bytes) },
            close: { [weak server] in server?.tunnel.closeSession(id) })
    }
}
