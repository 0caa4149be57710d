import NIOCore
import NIOPosix
import RTMP

/// One connection a `LoopbackRelay` accepted: applies the relay's mode to it.
///
/// Bytes are forwarded in order, each direction delayed by the mode's one-way delay (scheduled
/// tasks with the same delay run in the order they were scheduled). The upstream connection to the
/// server is opened on the same event loop; bytes that arrive before it is up wait for it.
final class RelayClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// http-only, nothing decisive read yet.
        case sniffing([UInt8])
        /// Forwarding; the upstream channel once connected, and the bytes waiting for it.
        case forwarding(upstream: (any Channel)?, pending: [[UInt8]])
        /// http-only met non-HTTP bytes and hangs; blackholes live here too.
        case swallowing
        case closed
    }

    private let mode: RelayMode
    private var state: State
    private var idleTimer: Scheduled<Void>?
    /// Where a routing relay sends this connection, once decided.
    private var routedPort: Int?

    init(mode: RelayMode) {
        self.mode = mode
        switch mode {
        case .forward, .route: state = .forwarding(upstream: nil, pending: [])
        case .httpOnly: state = .sniffing([])
        case .blackhole: state = .swallowing
        }
    }

    private var delay: Duration {
        switch mode {
        case .forward(_, let delay), .httpOnly(_, let delay, _, _): delay
        case .blackhole, .route: .zero
        }
    }

    private var upstreamPort: Int? {
        switch mode {
        case .forward(let port, _), .httpOnly(let port, _, _, _): port
        case .blackhole: nil
        case .route: routedPort
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        switch mode {
        case .forward:
            connectUpstream(context: context)
        case .route(let route):
            switch route.decide() {
            case .forward(let port):
                routedPort = port
                connectUpstream(context: context)
            case .reset:
                state = .closed
                Self.reset(context.channel)
            case .hold:
                state = .swallowing
            }
        case .httpOnly, .blackhole:
            break
        }
        context.fireChannelActive()
    }

    /// Closes with a TCP reset rather than a FIN (SO_LINGER with a zero timeout).
    private static func reset(_ channel: any Channel) {
        guard let socket = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch state {
        case .sniffing(let earlier):
            sniff(earlier + bytes, context: context)
        case .forwarding(let upstream, var pending):
            if let upstream {
                send(bytes, to: upstream, on: context.eventLoop)
            } else {
                pending.append(bytes)
                state = .forwarding(upstream: nil, pending: pending)
            }
        case .swallowing:
            touch(context: context)
        case .closed:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        if case .forwarding(let upstream?, _) = state {
            // The close travels like the bytes before it.
            context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { upstream.close(promise: nil) }
        }
        state = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func sniff(_ bytes: [UInt8], context: ChannelHandlerContext) {
        guard case .httpOnly(_, _, let hang, _) = mode else { return }
        switch PortSniffer.sniff(bytes[...]) {
        case .needMoreBytes:
            state = .sniffing(bytes)
        case .http:
            state = .forwarding(upstream: nil, pending: [bytes])
            connectUpstream(context: context)
        case .rtmp, .rtmpe, .tls, .unknown:
            if hang {
                state = .swallowing
                touch(context: context)
            } else {
                // What Squid-like intercepting proxies answer to bytes that are not HTTP.
                state = .closed
                let answer = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                let channel = context.channel
                // The bytes took the one-way delay to reach the proxy, the answer takes it back.
                context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay * 2)) {
                    channel.writeAndFlush(channel.allocator.buffer(bytes: answer)).assumeIsolated().whenComplete { _ in
                        channel.close(promise: nil)
                    }
                }
            }
        }
    }

    /// A hanging http-only proxy gives up after its idle timeout without bytes.
    private func touch(context: ChannelHandlerContext) {
        guard case .httpOnly(_, _, _, let idleTimeout) = mode else { return }
        idleTimer?.cancel()
        let channel = context.channel
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(idleTimeout)) {
            channel.close(promise: nil)
        }
    }

    private func send(_ bytes: [UInt8], to channel: any Channel, on loop: any EventLoop) {
        guard !bytes.isEmpty else { return }
        if delay == .zero {
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
            return
        }
        loop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
        }
    }

    private func connectUpstream(context: ChannelHandlerContext) {
        guard let port = upstreamPort else { return }
        let client = context.channel
        let loop = context.eventLoop
        let delay = self.delay
        let connecting = ClientBootstrap(group: loop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { upstream in
                upstream.eventLoop.makeCompletedFuture {
                    try upstream.pipeline.syncOperations.addHandler(RelayUpstreamHandler(client: client, delay: delay))
                }
            }
            .connect(host: "127.0.0.1", port: port)
        let bound = NIOLoopBound(self, eventLoop: loop)
        connecting.whenComplete { result in
            let handler = bound.value
            switch result {
            case .success(let upstream):
                guard case .forwarding(_, let pending) = handler.state else {
                    upstream.close(promise: nil)
                    return
                }
                handler.state = .forwarding(upstream: upstream, pending: [])
                for bytes in pending { handler.send(bytes, to: upstream, on: loop) }
            case .failure:
                client.close(promise: nil)
            }
        }
    }
}
