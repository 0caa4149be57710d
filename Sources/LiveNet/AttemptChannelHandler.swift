import Connector
import NIOCore
import RTMP
import RunCore

/// The NIO side of one attempt, for the live player's attempts (`LiveAttempt`) and the `connect`
/// verb's (`ClientAttemptHandler`): it feeds the channel's bytes and close to RunCore's
/// `AttemptDriver` and carries out the driver's writes, tunnel timer and close on the channel. What
/// the attempt's phases and end mean (the player's timeline, the verb's printed result) is the
/// subclass's.
class AttemptChannelHandler: ChannelInboundHandler, AttemptRuntime {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let driver: AttemptDriver
    /// The attempt's channel once it exists.
    var channel: (any Channel)?
    var timers = TimerTable<RTMPTClientTunnel.Timer>()

    init(driver: AttemptDriver) {
        self.driver = driver
    }

    func channelActive(context: ChannelHandlerContext) {
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

    /// A socket error ends the attempt as the player's socket layer would read it (anything it does
    /// not name as closed).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.fail(Self.failure(for: error), on: self)
    }

    /// What a socket error means to the player; anything it does not name ends the attempt as closed.
    static func failure(for error: any Error) -> AttemptFailure {
        AttemptFailure(socket: error) ?? .closed
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

    func reach(_ phase: AttemptPhase) {}

    func serverDigest(verified: Bool) {}

    func attemptEnded(_ end: AttemptEnd) {
        timers.cancelAll()
    }

    func playEnded(_ outcome: RTMPClientSession.PlayOutcome) {}

    func reconnectRequested(tcUrl: String?) {}

    func streamEnded(_ reason: String) {}
}
