import NIOCore
import RTMP

/// Runs an `RTMPClientSession` over one TCP connection and times its phases with the real clock.
///
/// It only executes the session's actions; the outcome and the phase times go into the attempt's
/// `ClientAttemptRecorder`, which completes the caller's promise exactly once.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: RTMPClientSession
    private let recorder: ClientAttemptRecorder

    init(session: RTMPClientSession, recorder: ClientAttemptRecorder) {
        self.session = session
        self.recorder = recorder
    }

    func channelActive(context: ChannelHandlerContext) {
        recorder.reached(.tcpConnected)
        run(session.start(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        run(session.received(bytes[...]), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        run(session.closed(), context: context)
        recorder.finish(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.finish(ClientAttemptRecorder.outcome(for: error))
        context.close(promise: nil)
    }

    private func run(_ action: RTMPClientSession.Action, context: ChannelHandlerContext) {
        switch action {
        case .wait:
            break
        case .send(let bytes, let phases):
            recorder.reached(phases)
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
        case .finish(let outcome, let bytes, let phases):
            recorder.reached(phases)
            if !bytes.isEmpty {
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
            }
            recorder.finish(ClientAttemptRecorder.outcome(for: outcome))
            // The connect verb's job ends at the result; a runtime keeping winners open would not close.
            context.close(promise: nil)
        case .connectionError:
            context.close(promise: nil)
        }
    }
}
