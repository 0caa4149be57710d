import Connector
import NIOCore
import RTMP
import RunCore

/// The `connect` verb's attempt on one TCP connection: RunCore's `AttemptDriver` (the session,
/// through the RTMPT tunnel for `rtmpt://`) on a NIO channel, timed with the real clock.
///
/// It only moves the driver's bytes and timers; phase times and the outcome go into the attempt's
/// `ClientAttemptRecorder`, which completes the caller's promise exactly once. The verb's job ends at
/// the answer: the connection is closed then, after a `/close` through a tunnel so that the server can
/// drop its tunnel session at once (or after `closeGrace` if the server does not answer it).
final class ClientAttemptHandler: ChannelInboundHandler, AttemptRuntime {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long the `/close` exchange may take before the socket is closed anyway.
    static let closeGrace: Duration = .seconds(1)

    private let driver: AttemptDriver
    private let recorder: ClientAttemptRecorder
    private var channel: (any Channel)?
    private var timers = TimerTable<RTMPTClientTunnel.Timer>()

    init(driver: AttemptDriver, recorder: ClientAttemptRecorder) {
        self.driver = driver
        self.recorder = recorder
    }

    func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
        recorder.reached(.tcpConnected)
        driver.connected(on: self)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        driver.received(bytes[...], on: self)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timers.cancelAll()
        // The driver reports the close as the attempt's end unless it has ended already (a close it
        // asked for itself: it reports why just after).
        driver.peerClosed(on: self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.finish(ClientAttemptRecorder.outcome(for: error))
        driver.cancel(on: self)
    }

    // MARK: AttemptRuntime

    func write(_ bytes: [UInt8]) {
        guard let channel else { return }
        channel.writeAndFlush(channel.allocator.buffer(bytes: bytes), promise: nil)
    }

    func scheduleTunnelTimer(_ timer: RTMPTClientTunnel.Timer, after delay: Duration) {
        guard let loop = channel?.eventLoop else { return }
        timers.schedule(timer, after: delay, on: loop.assumeIsolated()) { [weak self] in
            guard let self else { return }
            self.timers.fired(timer)
            self.driver.timerFired(timer, on: self)
        }
    }

    func cancelTunnelTimer(_ timer: RTMPTClientTunnel.Timer) {
        timers.cancel(timer)
    }

    func closeConnection() {
        channel?.close(promise: nil)
    }

    func reach(_ phase: AttemptPhase) {
        recorder.reached(phase)
    }

    func serverDigest(verified: Bool) {
        recorder.serverDigest(verified: verified)
    }

    func attemptEnded(_ end: AttemptEnd) {
        recorder.finish(ClientAttemptRecorder.outcome(for: end), closingChannel: false)
        guard case .succeeded = end else { return }  // the driver closed the connection
        guard driver.closeTunnel(on: self), let channel else {
            closeConnection()
            return
        }
        channel.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(Self.closeGrace)) {
            channel.close(promise: nil)
        }
    }
}
