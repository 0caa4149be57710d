import NIOCore

/// The relay's connection to the server: the server's bytes go back to the client after the delay,
/// and the server's close follows them.
final class RelayUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let client: any Channel
    private let delay: Duration

    init(client: any Channel, delay: Duration) {
        self.client = client
        self.delay = delay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let client = self.client
        if delay == .zero {
            client.writeAndFlush(buffer, promise: nil)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) {
            client.writeAndFlush(buffer, promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let client = self.client
        context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { client.close(promise: nil) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
