import NIOCore
import RTMP

/// One accepted TCP connection of the live server: sniffs the first bytes, then runs RTMP on it.
///
/// The sniffing is what lets one port serve several protocols, as the design's `ports: {80: [rtmp,
/// rtmpt]}` asks: the client always speaks first (C0 or an HTTP request line).
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        /// Nothing decisive read yet; the bytes so far.
        case sniffing([UInt8])
        /// Plain RTMP over this TCP connection.
        case rtmp(ServerSessionDriver)
        /// Closed, or refused after sniffing.
        case done
    }

    private let server: LiveServerState
    private var connection = 0
    private var state: State = .sniffing([])

    init(server: LiveServerState) {
        self.server = server
    }

    func channelActive(context: ChannelHandlerContext) {
        connection = server.accepted(context.channel)
        let remote = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        server.emit(connection, .accepted(remote: remote, localPort: context.localAddress?.port ?? 0))
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
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .rtmp(let driver):
            driver.transportClosed()
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
        guard let first = bytes.first else {
            state = .sniffing(bytes)
            return
        }
        switch first {
        case 0x03:
            server.emit(connection, .detected(.rtmp))
            let driver = makeDriver(context: context)
            state = .rtmp(driver)
            driver.start()
            driver.received(bytes[...])
        default:
            server.emit(connection, .unsupported("first byte 0x\(String(first, radix: 16))"))
            state = .done
            context.close(promise: nil)
        }
    }

    private func makeDriver(context: ChannelHandlerContext) -> ServerSessionDriver {
        ServerSessionDriver(
            server: server, connection: connection, via: .rtmp, seed: server.seed(for: connection),
            eventLoop: context.eventLoop.assumeIsolated(),
            output: { bytes in
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            },
            close: {
                // Flush what was written, then close: a rejection's `_error` must reach the client.
                context.close(promise: nil)
            })
    }
}
