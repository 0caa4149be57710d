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
final class ClientAttemptHandler: AttemptChannelHandler {
    /// How long the `/close` exchange may take before the socket is closed anyway.
    static let closeGrace: Duration = .seconds(1)

    private let recorder: ClientAttemptRecorder

    init(driver: AttemptDriver, recorder: ClientAttemptRecorder) {
        self.recorder = recorder
        super.init(driver: driver)
    }

    override func channelActive(context: ChannelHandlerContext) {
        channel = context.channel
        recorder.reached(.tcpConnected)
        driver.connected(on: self)
        context.fireChannelActive()
    }

    override func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.finish(ClientAttemptRecorder.outcome(for: error))
        driver.cancel(on: self)
    }

    // MARK: AttemptRuntime

    override func reach(_ phase: AttemptPhase) {
        recorder.reached(phase)
    }

    override func serverDigest(verified: Bool) {
        recorder.serverDigest(verified: verified)
    }

    override func attemptEnded(_ end: AttemptEnd) {
        super.attemptEnded(end)
        recorder.finish(.ended(end), closingChannel: false)
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
