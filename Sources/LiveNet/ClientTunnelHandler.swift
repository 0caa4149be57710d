import NIOCore
import RTMP

/// Runs an `RTMPClientSession` through an `RTMPTClientTunnel` over one TCP connection.
///
/// The tunnel turns the session's bytes into `/send` POSTs and polls with `/idle`; this handler only
/// writes the requests, feeds the replies back, runs the poll timer, and records the phases (TCP
/// connected, tunnel opened, then the session's own). After the connect result it posts `/close` so
/// the server can drop the tunnel session, then closes the socket.
final class ClientTunnelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long the `/close` exchange may take before the socket is closed anyway.
    static let closeGrace: Duration = .seconds(1)

    private var session: RTMPClientSession
    private var tunnel: RTMPTClientTunnel
    private let recorder: ClientAttemptRecorder
    private var timers = TimerTable<RTMPTClientTunnel.Timer>()

    init(session: RTMPClientSession, tunnel: RTMPTClientTunnel, recorder: ClientAttemptRecorder) {
        self.session = session
        self.tunnel = tunnel
        self.recorder = recorder
    }

    func channelActive(context: ChannelHandlerContext) {
        recorder.reached(.tcpConnected)
        run(tunnel.start(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        run(tunnel.received(bytes[...]), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timers.cancelAll()
        run(tunnel.connectionClosed(), context: context)
        recorder.finish(.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.finish(ClientAttemptRecorder.outcome(for: error))
        context.close(promise: nil)
    }

    /// Executes a tunnel action in its field order: write, deliver, timer, event.
    private func run(_ action: RTMPTClientTunnel.Action, context: ChannelHandlerContext) {
        if !action.write.isEmpty {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: action.write)), promise: nil)
        }
        if !action.deliver.isEmpty {
            runSession(session.received(action.deliver[...]), context: context)
        }
        switch action.timer {
        case .schedule(let timer, let delay)?:
            timers.schedule(timer, after: delay, on: context.eventLoop.assumeIsolated()) { [weak self] in
                guard let self else { return }
                self.timers.fired(timer)
                self.run(self.tunnel.timerFired(timer), context: context)
            }
        case .cancel(let timer)?:
            timers.cancel(timer)
        case nil:
            break
        }
        switch action.event {
        case .opened?:
            recorder.reached(.tunnelOpened)
            runSession(session.start(), context: context)
        case .closed?:
            // The server ended the tunnel (polling byte 0) or answered our /close.
            runSession(session.closed(), context: context)
            recorder.finish(.closed)
            context.close(promise: nil)
        case .failed(let error)?:
            recorder.finish(ClientAttemptRecorder.outcome(for: error))
            context.close(promise: nil)
        case nil:
            break
        }
    }

    private func runSession(_ action: RTMPClientSession.Action, context: ChannelHandlerContext) {
        switch action {
        case .wait:
            break
        case .send(let bytes, let phases):
            recorder.reached(phases)
            run(tunnel.send(bytes), context: context)
        case .finish(let outcome, let bytes, let phases):
            recorder.reached(phases)
            if !bytes.isEmpty { run(tunnel.send(bytes), context: context) }
            recorder.finish(ClientAttemptRecorder.outcome(for: outcome), closingChannel: false)
            run(tunnel.close(), context: context)
            let channel = context.channel
            context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(Self.closeGrace)) {
                channel.close(promise: nil)
            }
        case .connectionError:
            context.close(promise: nil)
        }
    }
}
